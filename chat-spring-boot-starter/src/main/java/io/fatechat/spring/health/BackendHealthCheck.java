package io.fatechat.spring.health;

/** One backend's health check, independent of the Spring Boot line that reports it. */
public interface BackendHealthCheck extends AutoCloseable {

    BackendHealth check();

    /** Releases what the check holds (a Kafka admin client); nothing by default. */
    @Override
    default void close() {}
}

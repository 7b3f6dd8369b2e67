package io.fatechat.spring.health;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** A {@link BackendHealthCheck} as a Spring Boot 4 health indicator. */
abstract class Boot4BackendHealthIndicator implements HealthIndicator, DisposableBean {

    private final BackendHealthCheck check;

    Boot4BackendHealthIndicator(BackendHealthCheck check) {
        this.check = check;
    }

    @Override
    public Health health() {
        BackendHealth health = check.check();
        return (health.up() ? Health.up() : Health.down())
                .withDetails(health.details())
                .build();
    }

    @Override
    public void destroy() {
        check.close();
    }
}

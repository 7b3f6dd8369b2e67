package io.fatechat.spring.health;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A {@link BackendHealthCheck} as a Spring Boot 3.5 health indicator ({@code org.springframework.boot.actuate.health},
 * where Boot 3 keeps the health API that Boot 4 moved to {@code spring-boot-health}).
 */
public final class Boot3BackendHealthIndicator implements HealthIndicator, DisposableBean {

    private final BackendHealthCheck check;

    Boot3BackendHealthIndicator(BackendHealthCheck check) {
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

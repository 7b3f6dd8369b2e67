package io.fatechat.spring.health;

import java.util.Map;

/**
 * A backend's health as both Spring Boot lines report it: Boot 4 and Boot 3.5 have the same model in different
 * packages ({@code org.springframework.boot.health.contributor} and {@code org.springframework.boot.actuate.health}),
 * so each check is written once and adapted per line.
 *
 * @param up whether the backend answered
 * @param details what the health endpoint shows beside the status
 */
public record BackendHealth(boolean up, Map<String, Object> details) {

    public BackendHealth {
        details = Map.copyOf(details);
    }

    static BackendHealth up(Map<String, Object> details) {
        return new BackendHealth(true, details);
    }

    static BackendHealth down(String error) {
        return new BackendHealth(false, Map.of("error", String.valueOf(error)));
    }
}

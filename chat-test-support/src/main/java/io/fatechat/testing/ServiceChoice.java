package io.fatechat.testing;

import java.util.Objects;
import org.junit.jupiter.api.Assumptions;

/**
 * Where an integration test gets one service from, and why: the answer of {@link ServiceSelection#choose}.
 *
 * @param service the service, e.g. {@code Redis}
 * @param source where it comes from, or {@code null} when there is none
 * @param address the address for {@link Source#CONFIGURED} and {@link Source#LOCAL}; {@code null} otherwise
 * @param reason one sentence a person can act on: which variable was read, what was found
 */
public record ServiceChoice(String service, Source source, String address, String reason) {

    /** Where a service comes from. */
    public enum Source {
        /** An address set in a {@code FATECHAT_*} environment variable: used as given. */
        CONFIGURED,
        /** A Testcontainers container, because a Docker engine is present and no address is set. */
        CONTAINER,
        /** The service on this machine (or, for Kafka, a broker inside the test JVM), as without Docker. */
        LOCAL
    }

    public ServiceChoice {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether a service was found. */
    public boolean available() {
        return source != null;
    }

    /**
     * Stops a test that cannot have its service: it fails with {@link #reason()}, or is skipped with it when the
     * system property {@code fatechat.it.skipMissingServices} is {@code true}.
     *
     * @return this choice, when available
     */
    public ServiceChoice requireAvailable() {
        if (!available()) {
            if (Boolean.getBoolean("fatechat.it.skipMissingServices")) {
                Assumptions.abort(reason);
            }
            throw new IllegalStateException(reason);
        }
        return this;
    }

    @Override
    public String toString() {
        return service + ": "
                + (available()
                        ? source + (address == null ? "" : " " + address) + " (" + reason + ")"
                        : "unavailable (" + reason + ")");
    }
}

package io.fatechat.testing;

import java.util.function.BooleanSupplier;

/**
 * The one rule every integration test follows to find a service: an address in the service's {@code FATECHAT_*}
 * variable wins; otherwise a Testcontainers container when a Docker engine is present; otherwise the service on
 * this machine, as on a development or CI machine without Docker. When none of these is there the choice says so,
 * naming what was tried. Pure: what it looks at comes in as arguments, so the rule is unit-tested.
 */
public final class ServiceSelection {

    private ServiceSelection() {}

    /**
     * Chooses where {@code service} comes from.
     *
     * @param service the service's name for messages, e.g. {@code Redis}
     * @param variable the environment variable that may name an address, e.g. {@code FATECHAT_TEST_REDIS_URL}
     * @param configured that variable's value, {@code null} or blank when unset
     * @param docker whether a Docker engine answers; asked only when no address is configured
     * @param localAddress the address of the local service, e.g. {@code redis://127.0.0.1:6379}
     * @param localReachable whether the local service answers; asked only when neither of the above applies
     * @return the choice; {@link ServiceChoice#available()} is false when nothing was found
     */
    public static ServiceChoice choose(
            String service,
            String variable,
            String configured,
            BooleanSupplier docker,
            String localAddress,
            BooleanSupplier localReachable) {
        if (configured != null && !configured.isBlank()) {
            return new ServiceChoice(
                    service, ServiceChoice.Source.CONFIGURED, configured.strip(), variable + " is set");
        }
        if (docker.getAsBoolean()) {
            return new ServiceChoice(
                    service,
                    ServiceChoice.Source.CONTAINER,
                    null,
                    variable + " is not set and a Docker engine is present");
        }
        if (localReachable.getAsBoolean()) {
            return new ServiceChoice(
                    service,
                    ServiceChoice.Source.LOCAL,
                    localAddress,
                    variable + " is not set, no Docker engine; " + localAddress + " answers");
        }
        return new ServiceChoice(
                service,
                null,
                null,
                "no " + service + " for the integration tests: " + variable
                        + " is not set, no Docker engine was found (DOCKER_HOST, /var/run/docker.sock) and nothing answers at "
                        + localAddress + ". Start " + service + " there, set " + variable + ", or start Docker.");
    }
}

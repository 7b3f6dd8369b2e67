package io.fatechat.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class of a module that has this one on its test class path (the root pom turns on
 * JUnit's extension autodetection for {@code io.fatechat.*}): an awaited condition that already holds passes at
 * once instead of after Awaitility's default 100 ms delay, and is polled every 20 ms after that.
 */
public final class AwaitilityDefaults implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
    }
}

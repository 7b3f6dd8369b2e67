package io.fatechat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The build turns on autodetection, so {@link AwaitilityDefaults} ran before this class without being named. */
class AwaitilityDefaultsTest {

    @Test
    void autodetectedDefaultsRemoveTheInitialPollDelay() throws Exception {
        // Awaitility has no getter for its defaults; the field is what setDefaultPollDelay writes
        var field = Awaitility.class.getDeclaredField("defaultPollDelay");
        field.setAccessible(true);
        assertThat(field.get(null)).isEqualTo(Duration.ZERO);
    }
}

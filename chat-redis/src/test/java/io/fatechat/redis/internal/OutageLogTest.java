package io.fatechat.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fatechat.spi.support.OutageLog;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutageLogTest {

    @Test
    void logsOncePerOutageAndOnceOnRecovery() {
        Logger logger = (Logger) LoggerFactory.getLogger("outage-log-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        OutageLog outage = new OutageLog(logger, "Redis test");

        outage.succeeded();
        for (int i = 0; i < 100; i++) {
            outage.failed(new IOException("connection refused"));
        }
        assertThat(outage.isDown()).isTrue();
        outage.succeeded();
        outage.succeeded();
        outage.failed(new IOException("again"));

        assertThat(appender.list)
                .extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.WARN, Level.INFO, Level.WARN);
        assertThat(appender.list.get(0).getFormattedMessage())
                .contains("Redis test")
                .contains("connection refused");
        assertThat(outage.outages()).isEqualTo(2);
    }
}

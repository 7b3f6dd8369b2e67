package io.fatechat.examples.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.UserStore;

/** Logs one line at start saying which backends are in use and where the UI is. */
@Component
class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        var context = event.getApplicationContext();
        Environment env = context.getEnvironment();
        String bus = describe(context.getBean(MessageBus.class).getClass().getSimpleName(),
                "kafka " + env.getProperty("fatechat.kafka.bootstrap-servers"));
        String presence = describe(context.getBean(PresenceStore.class).getClass().getSimpleName(), "redis");
        String stores = describe(context.getBean(UserStore.class).getClass().getSimpleName(),
                jdbcLabel(env.getProperty("fatechat.jdbc.url", "")));
        String history = context.getBean(HistoryStore.class).getClass().getSimpleName().startsWith("Jdbc")
                ? "" : " (history " + describe(context.getBean(HistoryStore.class).getClass().getSimpleName(), "") + ")";
        int port = context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : -1;
        log.info("Fatechat is up: bus={}, presence={}, users/rooms/history={}{} | web UI at http://localhost:{}/",
                bus, presence, stores, history, port);
    }

    private static String describe(String className, String distributed) {
        return className.startsWith("InMemory") ? "in-memory" : distributed;
    }

    private static String jdbcLabel(String url) {
        if (url.startsWith("jdbc:h2:file:")) {
            return "H2 file " + url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        }
        if (url.startsWith("jdbc:h2:mem:")) {
            return "H2 in memory";
        }
        // host and database only: the URL may carry credentials
        return url.replaceAll("[?;].*$", "").replaceAll("//[^@/]*@", "//");
    }
}

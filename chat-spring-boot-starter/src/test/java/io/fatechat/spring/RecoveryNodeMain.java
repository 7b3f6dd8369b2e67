package io.fatechat.spring;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A starter node in a JVM of its own, for {@link FatechatRecoveryAfterKillIT} to kill: prints {@code PORT <n>}. */
public final class RecoveryNodeMain {

    private RecoveryNodeMain() {}

    public static void main(String[] args) {
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(FatechatDistributedIT.App.class).run(args);
        System.out.println(
                "PORT " + ((WebServerApplicationContext) context).getWebServer().getPort());
        System.out.flush();
    }
}

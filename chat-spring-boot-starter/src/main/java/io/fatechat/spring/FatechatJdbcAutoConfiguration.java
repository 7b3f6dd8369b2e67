package io.fatechat.spring;

import static io.fatechat.spring.BuilderSetter.set;

import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcConversationStore;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcRecoverySessionStore;
import io.fatechat.mysql.JdbcRoomStore;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.mysql.JdbcStoreException;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;

/**
 * The JDBC stores of users, rooms, history and conversations (MySQL, MariaDB, or H2 in MySQL mode), when
 * {@code chat-mysql} is on the class path and {@code fatechat.jdbc.url} (or {@code FATECHAT_JDBC_URL}) is set, the
 * application has a {@link DataSource}, or H2 is on the class path. Which database, first match wins:
 * {@code fatechat.jdbc.url} with a pool of Fatechat's own; else the application's {@code DataSource} (its own bean
 * or Spring Boot's from {@code spring.datasource.*}; the {@code @Primary} one if there are several), which the
 * stores share and never close, unless it is the in-memory database Spring Boot generates when
 * {@code spring.datasource.url} is unset; else the embedded default, the H2 file {@code ./data/fatechat}. Each store
 * backs off separately when the host defines its own.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            // Spring Boot 3.5's
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
        })
@ConditionalOnClass(JdbcChatStores.class)
@Conditional(FatechatJdbcAutoConfiguration.UrlSetOrH2Present.class)
@EnableConfigurationProperties(FatechatJdbcProperties.class)
public class FatechatJdbcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public JdbcStoreConfig fatechatJdbcStoreConfig(FatechatJdbcProperties j) {
        String p = "fatechat.jdbc.";
        JdbcStoreConfig.Builder b = JdbcStoreConfig.builder(JdbcStoreConfig.DEFAULT_H2_URL);
        // a URL may carry a password parameter: its refusal must not echo it
        if (j.getUrl() != null && !j.getUrl().isBlank()) {
            BuilderSetter.setSecret(p + "url", j.getUrl().trim(), b::jdbcUrl);
        }
        set(p + "username", j.getUsername(), b::username);
        BuilderSetter.setSecret(p + "password", j.getPassword(), b::password);
        set(p + "maximum-pool-size", j.getMaximumPoolSize(), b::maximumPoolSize);
        set(p + "connection-timeout", j.getConnectionTimeout(), b::connectionTimeout);
        set(p + "socket-timeout", j.getSocketTimeout(), b::socketTimeout);
        set(p + "table-prefix", j.getTablePrefix(), b::tablePrefix);
        set(p + "migrate-schema", j.isMigrateSchema(), b::migrateSchema);
        return BuilderSetter.build("fatechat.jdbc", b::build);
    }

    /** {@code fatechat.jdbc.url} is set, the application has a DataSource, or H2 is on the class path. */
    static class UrlSetOrH2Present extends AnyNestedCondition {

        UrlSetOrH2Present() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "fatechat.jdbc", name = "url")
        static class UrlSet {}

        @ConditionalOnClass(name = "org.h2.Driver")
        static class H2Present {}

        @ConditionalOnBean(DataSource.class)
        static class ApplicationDataSource {}
    }

    /** What the startup line adds when the application's DataSource is Boot's generated one, left alone. */
    static final String BOOT_EMBEDDED_NOT_USED =
            " (the application's DataSource is Spring Boot's in-memory " + "embedded database, not used)";

    @Bean
    @ConditionalOnMissingBean
    public JdbcChatStores fatechatJdbcChatStores(
            JdbcStoreConfig config,
            FatechatJdbcProperties properties,
            ObjectProvider<DataSource> dataSources,
            ConfigurableListableBeanFactory beanFactory,
            Environment env) {
        if (properties.getUrl() != null && !properties.getUrl().isBlank()) {
            return JdbcChatStores.start(config);
        }
        DataSource application = dataSources.getIfUnique();
        if (application == null) {
            if (dataSources.stream().findAny().isPresent()) {
                throw new IllegalStateException("Fatechat cannot choose among the application's DataSource beans: "
                        + "mark one @Primary, or set fatechat.jdbc.url for a database of Fatechat's own");
            }
            return JdbcChatStores.start(config);
        }
        if (isBootsGeneratedEmbeddedDatabase(application, beanFactory, env)) {
            // Boot made it only because an embedded driver is on the class path: it is gone on restart and not in
            // MySQL mode, so the documented default serves the chat and the host's database stays untouched
            return JdbcChatStores.start(config);
        }
        try {
            return JdbcChatStores.start(config, application);
        } catch (JdbcStoreException e) {
            throw new JdbcStoreException(
                    "fatechat.jdbc.url is unset, so Fatechat uses the application's DataSource, " + "but "
                            + e.getMessage() + "; or set fatechat.jdbc.url for a database of Fatechat's own",
                    e);
        }
    }

    /** What the startup line says of the JDBC stores' database. */
    @Bean
    FatechatJdbcDatabase fatechatJdbcDatabase(
            JdbcChatStores stores,
            FatechatJdbcProperties properties,
            ObjectProvider<DataSource> dataSources,
            ConfigurableListableBeanFactory beanFactory,
            Environment env) {
        if (!stores.ownsDataSource()) {
            return FatechatJdbcDatabase.application(stores.dataSource());
        }
        String label = FatechatBackends.jdbcLabel(stores.config().jdbcUrl());
        DataSource application = dataSources.getIfUnique();
        boolean urlUnset = properties.getUrl() == null || properties.getUrl().isBlank();
        if (urlUnset && application != null && isBootsGeneratedEmbeddedDatabase(application, beanFactory, env)) {
            label += BOOT_EMBEDDED_NOT_USED;
        }
        return new FatechatJdbcDatabase(label);
    }

    /**
     * Whether {@code dataSource} is the in-memory database Spring Boot generates when {@code spring.datasource.url}
     * is unset and an embedded driver (H2, HSQLDB, Derby) is on the class path: no URL configured, the bean defined
     * by Spring Boot's own auto-configuration, and its connections in memory. A DataSource the application
     * configured (a URL, or a bean of its own) is never this, even when it is an in-memory H2.
     */
    static boolean isBootsGeneratedEmbeddedDatabase(
            DataSource dataSource, ConfigurableListableBeanFactory beanFactory, Environment env) {
        if (isSet(env, "spring.datasource.url") || isSet(env, "spring.datasource.hikari.jdbc-url")) {
            return false;
        }
        String name = beanName(dataSource, beanFactory);
        if (name == null || !definedBySpringBoot(beanFactory, name)) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            String url = String.valueOf(connection.getMetaData().getURL()).toLowerCase(Locale.ROOT);
            return url.startsWith("jdbc:h2:mem:")
                    || url.startsWith("jdbc:hsqldb:mem:")
                    || url.startsWith("jdbc:derby:memory:");
        } catch (SQLException | RuntimeException e) {
            return false; // not reachable: it is the application's to explain, as before
        }
    }

    private static String beanName(DataSource dataSource, ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
            if (beanFactory.containsBeanDefinition(name) && beanFactory.getBean(name) == dataSource) {
                return name;
            }
        }
        return null;
    }

    /** The bean comes from a factory method of Spring Boot's (DataSourceAutoConfiguration's configurations). */
    private static boolean definedBySpringBoot(ConfigurableListableBeanFactory beanFactory, String name) {
        BeanDefinition definition = beanFactory.getBeanDefinition(name);
        String declaringClass = null;
        if (definition instanceof AnnotatedBeanDefinition annotated) {
            MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
            declaringClass = factoryMethod != null ? factoryMethod.getDeclaringClassName() : null;
        }
        if (declaringClass == null && beanFactory.getMergedBeanDefinition(name) instanceof RootBeanDefinition root) {
            Method resolved = root.getResolvedFactoryMethod();
            declaringClass = resolved != null ? resolved.getDeclaringClass().getName() : null;
        }
        return declaringClass != null && declaringClass.startsWith("org.springframework.boot.");
    }

    private static boolean isSet(Environment env, String key) {
        String value = env.getProperty(key);
        return value != null && !value.isBlank();
    }

    // The stores share the pool of JdbcChatStores, which closes it; their own close() does nothing.

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(UserStore.class)
    public JdbcUserStore fatechatJdbcUserStore(JdbcChatStores stores) {
        return stores.users();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(RoomStore.class)
    public JdbcRoomStore fatechatJdbcRoomStore(JdbcChatStores stores) {
        return stores.rooms();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(HistoryStore.class)
    public JdbcHistoryStore fatechatJdbcHistoryStore(JdbcChatStores stores) {
        return stores.history();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(ConversationStore.class)
    public JdbcConversationStore fatechatJdbcConversationStore(JdbcChatStores stores) {
        return stores.conversations();
    }

    /** Recovery sessions in the database unless Redis holds them (it is faster, and expires them itself). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(io.fatechat.spi.RecoverySessionStore.class)
    @Conditional(RedisRecoveryUnavailable.class)
    public JdbcRecoverySessionStore fatechatJdbcRecoverySessionStore(JdbcChatStores stores) {
        return stores.recoverySessions();
    }

    /** Not both {@code fatechat.redis.url} set and chat-redis on the class path. */
    static class RedisRecoveryUnavailable extends NoneNestedConditions {

        RedisRecoveryUnavailable() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "fatechat.redis", name = "url")
        @ConditionalOnClass(name = "io.fatechat.redis.RedisRecoverySessionStore")
        static class RedisRecovery {}
    }
}

package io.fatechat.spring.health;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Spring Boot's {@code management.health.<name>.enabled} rule (falling back to
 * {@code management.health.defaults.enabled}, true unless set) for the Boot 3.5 indicators, whose
 * {@code @ConditionalOnEnabledHealthIndicator} lives in a package Boot 4 removed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnEnabledBackendHealthCondition.class)
@interface ConditionalOnEnabledBackendHealth {

    /** The indicator's name in the {@code management.health.*} keys, e.g. {@code fatechat-jdbc}. */
    String value();
}

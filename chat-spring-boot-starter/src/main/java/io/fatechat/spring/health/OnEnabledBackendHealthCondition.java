package io.fatechat.spring.health;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** See {@link ConditionalOnEnabledBackendHealth}. */
class OnEnabledBackendHealthCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes =
                metadata.getAnnotationAttributes(ConditionalOnEnabledBackendHealth.class.getName());
        String name = String.valueOf(attributes.get("value"));
        Environment env = context.getEnvironment();
        String key = "management.health." + name + ".enabled";
        boolean enabled = env.containsProperty(key)
                ? env.getProperty(key, Boolean.class, true)
                : env.getProperty("management.health.defaults.enabled", Boolean.class, true);
        return enabled
                ? ConditionOutcome.match(key + " is not false")
                : ConditionOutcome.noMatch(key + " (or management.health.defaults.enabled) is false");
    }
}

package io.fatechat.spring;

import io.fatechat.core.ChatLimits;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;

/**
 * Builds {@link ChatLimits} from {@code fatechat.limits.*}: each record component of {@code ChatLimits} is read
 * from the {@link FatechatEngineProperties.Limits} property of the same name and handed to the builder setting of
 * the same name, so the list of limits is written once, in {@code ChatLimits}. {@code Limits} keeps a field per
 * limit only because Boot's configuration metadata (keys, descriptions, defaults) comes from fields;
 * {@code ChatLimitsBindingTest} checks that every component has its key, with {@link ChatLimits#DEFAULTS}' value
 * as the documented default.
 */
final class ChatLimitsBinding {

    static final String PREFIX = "fatechat.limits";

    private ChatLimitsBinding() {}

    static ChatLimits toChatLimits(FatechatEngineProperties.Limits limits) {
        BeanWrapper properties = new BeanWrapperImpl(limits);
        ChatLimits.Builder builder = ChatLimits.builder();
        for (RecordComponent component : ChatLimits.class.getRecordComponents()) {
            String name = component.getName();
            Method setting = setting(component);
            BuilderSetter.set(key(name), properties.getPropertyValue(name), value -> apply(setting, builder, value));
        }
        return BuilderSetter.build(PREFIX, builder::build);
    }

    /** The {@code fatechat.limits.*} key of a {@code ChatLimits} component, e.g. {@code fatechat.limits.message-burst}. */
    static String key(String component) {
        return PREFIX + "." + component.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static Method setting(RecordComponent component) {
        try {
            return ChatLimits.Builder.class.getMethod(component.getName(), component.getType());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("ChatLimits.Builder has no setting for " + component.getName(), e);
        }
    }

    private static void apply(Method setting, ChatLimits.Builder builder, Object value) {
        try {
            setting.invoke(builder, value);
        } catch (InvocationTargetException e) {
            // the builder's own refusal (IllegalArgumentException), which BuilderSetter turns into the key's error
            if (e.getCause() instanceof RuntimeException refusal) {
                throw refusal;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.fatechat.spring;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Hands a bound {@code fatechat.*} value to a library builder and turns the builder's refusal into an
 * {@link InvalidConfigurationPropertyValueException} naming the property, so that a bad value fails startup with
 * the key the user wrote rather than a builder field.
 */
public final class BuilderSetter {

    private static final String REDACTED = "******";

    private BuilderSetter() {}

    /** Calls {@code setter} with {@code value}; a refusal names {@code key}. */
    public static <T> void set(String key, T value, Consumer<? super T> setter) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(key, value, reason(e));
        }
    }

    /** As {@link #set}, but the value never appears in the error (passwords, secrets). */
    public static <T> void setSecret(String key, T value, Consumer<? super T> setter) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(key, REDACTED, reason(e));
        }
    }

    /** Calls {@code setter} with {@code value} when it is not null: unset keys keep the library's default. */
    public static <T> void setIfPresent(String key, T value, Consumer<? super T> setter) {
        if (value != null) {
            set(key, value, setter);
        }
    }

    /** Calls {@code setter} with a byte size that must fit an {@code int}. */
    public static void setIntBytes(String key, DataSize value, Consumer<Integer> setter) {
        set(key, intBytes(key, value), setter);
    }

    /** The byte count of {@code value}, which must fit an {@code int}. */
    public static int intBytes(String key, DataSize value) {
        if (value == null || value.toBytes() > Integer.MAX_VALUE || value.toBytes() < 0) {
            throw new InvalidConfigurationPropertyValueException(
                    key, value, "must be between 0B and " + Integer.MAX_VALUE + "B");
        }
        return (int) value.toBytes();
    }

    /** Runs a builder's {@code build()}; a refusal names the group of keys (checks across several settings). */
    public static <T> T build(String prefix, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(prefix, "(several " + prefix + ".* keys)", reason(e));
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

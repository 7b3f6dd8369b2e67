package io.fatechat.core.internal;

import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.MessageTooLongException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The input rules of the engine. Each check names the offending field as the wire calls it and throws an
 * {@link InvalidInputException} (or a subclass) whose message is safe to show a client.
 */
public final class FieldRules {

    /** Longest e-mail address (RFC 5321 path limit). */
    public static final int MAX_EMAIL_LENGTH = 254;
    /** Longest local part of an e-mail address (RFC 5321). */
    public static final int MAX_EMAIL_LOCAL_LENGTH = 64;
    /** Shortest password, in UTF-8 bytes. */
    public static final int MIN_PASSWORD_BYTES = 8;
    /** Longest password, in UTF-8 bytes: bcrypt ignores everything after 72 bytes. */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** Longest client-chosen message id. */
    public static final int MAX_CLIENT_ID_LENGTH = 64;

    // Dot-atom local part (RFC 5322 without quoted strings) and a host name of LDH labels (IDNs as punycode).
    private static final Pattern EMAIL =
            Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

    private FieldRules() {}

    /** Trims and lower-cases an e-mail and checks its form. */
    public static String email(String field, String value) {
        String email = required(field, value).trim().toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        if (email.length() > MAX_EMAIL_LENGTH) {
            throw new InvalidInputException(field, "is longer than " + MAX_EMAIL_LENGTH + " characters");
        }
        int at = email.lastIndexOf('@');
        if (at > MAX_EMAIL_LOCAL_LENGTH) {
            throw new InvalidInputException(
                    field, "has a part before '@' longer than " + MAX_EMAIL_LOCAL_LENGTH + " characters");
        }
        if (!EMAIL.matcher(email).matches()) {
            throw new InvalidInputException(field, "is not a valid e-mail address: '" + printable(email) + "'");
        }
        return email;
    }

    /** Whether {@code value} would pass {@link #email}. */
    public static boolean isEmail(String value) {
        if (value == null) {
            return false;
        }
        String email = value.trim().toLowerCase(Locale.ROOT);
        return email.length() <= MAX_EMAIL_LENGTH
                && email.lastIndexOf('@') <= MAX_EMAIL_LOCAL_LENGTH
                && EMAIL.matcher(email).matches();
    }

    /** Checks a new password: 8 to 72 UTF-8 bytes, valid Unicode. Never echoes the value. */
    public static String newPassword(String field, String value) {
        String password = required(field, value);
        if (password.isEmpty()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        if (!isWellFormed(password)) {
            throw new InvalidInputException(field, "is not valid Unicode text");
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_PASSWORD_BYTES) {
            throw new InvalidInputException(field, "must be at least " + MIN_PASSWORD_BYTES + " bytes long");
        }
        if (bytes > MAX_PASSWORD_BYTES) {
            throw new InvalidInputException(
                    field,
                    "must be at most " + MAX_PASSWORD_BYTES + " bytes long in UTF-8 (the bcrypt limit), was " + bytes);
        }
        return password;
    }

    /**
     * Normalizes a room name and checks it: NFC-normalized and trimmed; 1 to {@code maxLength} characters
     * (Unicode code points); no control, line-separator or bidirectional-override characters.
     */
    public static String roomName(String field, String value, int maxLength) {
        String name = required(field, value);
        if (!isWellFormed(name)) {
            throw new InvalidInputException(field, "is not valid Unicode text");
        }
        name = Normalizer.normalize(name, Normalizer.Form.NFC).strip();
        if (name.isEmpty()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        int length = name.codePointCount(0, name.length());
        if (length > maxLength) {
            throw new InvalidInputException(field, "is " + length + " characters long, the limit is " + maxLength);
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (isForbiddenInName(cp)) {
                throw new InvalidInputException(
                        field,
                        String.format(
                                Locale.ROOT,
                                "must not contain control or direction-override characters (found U+%04X)",
                                cp));
            }
            i += Character.charCount(cp);
        }
        return name;
    }

    /** The key rooms are compared by: the normalized name, lower-cased. */
    public static String roomKey(String normalizedName) {
        return normalizedName.toLowerCase(Locale.ROOT);
    }

    /** Checks a message text: not empty or blank, valid Unicode, at most {@code maxLength} code points. */
    public static String messageText(String field, String value, int maxLength) {
        String text = required(field, value);
        if (text.isBlank()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        if (!isWellFormed(text)) {
            throw new InvalidInputException(field, "is not valid Unicode text");
        }
        if (text.length() > maxLength) {
            int length = text.codePointCount(0, text.length());
            if (length > maxLength) {
                throw new MessageTooLongException(length, maxLength);
            }
        }
        return text;
    }

    /** An optional client id: null or empty means none; otherwise at most 64 characters, no control characters. */
    public static String clientId(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_CLIENT_ID_LENGTH) {
            throw new InvalidInputException(
                    field, "must be at most " + MAX_CLIENT_ID_LENGTH + " characters long, was " + value.length());
        }
        if (!isWellFormed(value)) {
            throw new InvalidInputException(field, "is not valid Unicode text");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidInputException(field, "must not contain control characters");
            }
        }
        return value;
    }

    /** An optional message id used as a paging cursor: null or empty means none; else a canonical UUID. */
    public static String messageId(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String id = value.trim().toLowerCase(Locale.ROOT);
        if (id.length() != 36) {
            throw new InvalidInputException(field, "is not a message id: '" + printable(value) + "'");
        }
        try {
            if (!UUID.fromString(id).toString().equals(id)) {
                throw new InvalidInputException(field, "is not a message id: '" + printable(value) + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "is not a message id: '" + printable(value) + "'");
        }
        return id;
    }

    /** A required, non-empty free-form value (e.g. a user or node id). */
    public static String nonEmpty(String field, String value) {
        if (required(field, value).isEmpty()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        return value;
    }

    public static String required(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required");
        }
        return value;
    }

    /** No unpaired surrogates: such text cannot be encoded to UTF-8 and would poison the bus and the stores. */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isForbiddenInName(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE
                || (cp >= 0x202A && cp <= 0x202E) // bidi embeddings and overrides
                || (cp >= 0x2066 && cp <= 0x2069) // bidi isolates
                || cp == 0x200E
                || cp == 0x200F
                || cp == 0x061C; // direction marks
    }

    /** A value echoed in an error, cut short and with control characters made visible. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 80));
        for (int i = 0; i < value.length() && out.length() < 80; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > 80) {
            out.append("...");
        }
        return out.toString();
    }
}

package io.fatechat.core.internal;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * bcrypt ({@code $2b$}) password hashing with a fixed cost. Every one of up to 72 UTF-8 bytes counts; the
 * engine refuses longer passwords before they get here (bcrypt would silently ignore the excess), and the
 * truncating strategy only keeps a longer one from throwing inside the timing-equalizing dummy check.
 */
public final class PasswordHasher {

    private final int cost;
    private final BCrypt.Hasher hasher;
    private final BCrypt.Verifyer verifyer;
    /** A hash of a random password: login of an unknown e-mail checks against it so both paths cost the same. */
    private final byte[] dummyHash;

    public PasswordHasher(int cost) {
        if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
            throw new IllegalArgumentException(
                    "bcryptCost must be between " + BCrypt.MIN_COST + " and " + BCrypt.MAX_COST + ", was " + cost);
        }
        this.cost = cost;
        this.hasher = BCrypt.with(
                BCrypt.Version.VERSION_2B,
                new SecureRandom(),
                LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
        this.verifyer =
                BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.dummyHash = hasher.hash(cost, toHex(random).getBytes(StandardCharsets.UTF_8));
    }

    public int cost() {
        return cost;
    }

    public String hash(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    /**
     * Whether {@code password} matches {@code hash}, which may be any bcrypt version ({@code $2a$}, {@code $2b$},
     * {@code $2y$}, e.g. from the Node.js Fatechat); false (not an exception) for a hash that is not bcrypt.
     */
    public boolean verify(String password, String hash) {
        try {
            return verifyer.verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time of one verification, for an unknown e-mail. Always false. */
    public boolean verifyDummy(String password) {
        verifyer.verify(password.getBytes(StandardCharsets.UTF_8), dummyHash);
        return false;
    }

    private static String toHex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}

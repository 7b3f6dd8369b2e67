package io.fatechat.core.internal;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.fatechat.spi.InvalidTokenException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Issues and verifies the engine's tokens: JWTs signed with HMAC-SHA256 (the algorithm is pinned: a token
 * naming any other, including {@code none}, is refused), issuer {@code fatechat}, subject = the user's
 * e-mail, with issued-at and expiry. Tokens signed with a previous secret still verify, so a rotation of the
 * secret logs nobody out; new tokens are always signed with the current one.
 */
public final class TokenSigner {

    /** The {@code iss} claim of every token. */
    public static final String ISSUER = "fatechat";

    /** The issue time in milliseconds: revocations need more than the seconds of {@code iat}. */
    private static final String ISSUED_AT_MILLIS = "iam";

    private final Algorithm algorithm;
    private final List<JWTVerifier> verifiers;
    private final Duration ttl;
    private final Clock clock;

    public TokenSigner(byte[] secret, Duration ttl, Clock clock) {
        this(secret, List.of(), ttl, clock);
    }

    /** @param previousSecrets secrets of earlier rotations, accepted for verification only */
    public TokenSigner(byte[] secret, List<byte[]> previousSecrets, Duration ttl, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.ttl = ttl;
        this.clock = clock;
        List<JWTVerifier> all = new ArrayList<>();
        all.add(verifier(algorithm, clock));
        for (byte[] previous : previousSecrets) {
            all.add(verifier(Algorithm.HMAC256(previous), clock));
        }
        this.verifiers = List.copyOf(all);
    }

    private static JWTVerifier verifier(Algorithm algorithm, Clock clock) {
        return ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                        .withIssuer(ISSUER)
                        .withClaimPresence("sub")
                        .withClaimPresence("exp"))
                .build(clock);
    }

    /** A verified token: its user and when it was issued. */
    public record Verified(String subject, long issuedAtMillis) {}

    public String issue(String email) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(email)
                .withIssuedAt(now)
                .withClaim(ISSUED_AT_MILLIS, now.toEpochMilli())
                .withExpiresAt(now.plus(ttl))
                .sign(algorithm);
    }

    /**
     * Returns the token's subject.
     *
     * @throws InvalidTokenException with the reason
     */
    public String verify(String token) {
        return verifyToken(token).subject();
    }

    /** Returns the token's subject and issue time. @throws InvalidTokenException with the reason */
    public Verified verifyToken(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MISSING);
        }
        DecodedJWT jwt = null;
        for (JWTVerifier verifier : verifiers) {
            try {
                jwt = verifier.verify(token.strip());
                break;
            } catch (SignatureVerificationException e) {
                // maybe signed with another of the secrets
            } catch (TokenExpiredException e) {
                throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED);
            } catch (JWTVerificationException | IllegalArgumentException e) {
                throw new InvalidTokenException(InvalidTokenException.Reason.INVALID);
            }
        }
        if (jwt == null) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID);
        }
        String subject = jwt.getSubject();
        if (!FieldRules.isEmail(subject)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID);
        }
        Long millis = jwt.getClaim(ISSUED_AT_MILLIS).asLong();
        long issuedAt = millis != null
                ? millis
                : jwt.getIssuedAtAsInstant() != null
                        ? jwt.getIssuedAtAsInstant().toEpochMilli()
                        : 0L;
        return new Verified(subject.trim().toLowerCase(java.util.Locale.ROOT), issuedAt);
    }
}

package io.fatechat.core.internal;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.fatechat.spi.InvalidTokenException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Issues and verifies the engine's tokens: JWTs signed with HMAC-SHA256 (the algorithm is pinned: a token
 * naming any other, including {@code none}, is refused), issuer {@code fatechat}, subject = the user's
 * e-mail, with issued-at and expiry.
 */
public final class TokenSigner {

    /** The {@code iss} claim of every token. */
    public static final String ISSUER = "fatechat";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public TokenSigner(byte[] secret, Duration ttl, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.ttl = ttl;
        this.clock = clock;
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(ISSUER)
                .withClaimPresence("sub")
                .withClaimPresence("exp"))
                .build(clock);
    }

    public String issue(String email) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(email)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .sign(algorithm);
    }

    /**
     * Returns the token's subject.
     *
     * @throws InvalidTokenException with the reason
     */
    public String verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MISSING);
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token.strip());
        } catch (TokenExpiredException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID);
        }
        String subject = jwt.getSubject();
        if (!FieldRules.isEmail(subject)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID);
        }
        return subject.trim().toLowerCase(java.util.Locale.ROOT);
    }
}

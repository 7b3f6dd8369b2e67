package io.fatechat.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tokens and password hashing ({@code fatechat.auth.*}). Defaults are the engine's own
 * ({@code FatechatEngineAutoConfigurationTest} checks they agree).
 */
@ConfigurationProperties(prefix = "fatechat.auth")
public class FatechatAuthProperties {

    /**
     * HMAC secret that signs tokens, at least 32 bytes (UTF-8). Every node of a deployment needs the same one;
     * when unset each start picks a random secret, so tokens do not survive a restart.
     */
    private String tokenSecret;

    /**
     * Secrets of earlier rotations: tokens they signed still verify until they expire, so a rotation logs nobody
     * out. Rotate by moving the current token-secret here and setting a new one.
     */
    private List<String> previousTokenSecrets = new ArrayList<>();

    /** How long a token issued at register or login stays valid. */
    private Duration tokenTtl = Duration.ofHours(24);

    /** bcrypt cost of password hashes (10 is OWASP's minimum; lower only in tests). */
    private int bcryptCost = 10;

    public String getTokenSecret() {
        return tokenSecret;
    }

    public void setTokenSecret(String tokenSecret) {
        this.tokenSecret = tokenSecret;
    }

    public List<String> getPreviousTokenSecrets() {
        return previousTokenSecrets;
    }

    public void setPreviousTokenSecrets(List<String> previousTokenSecrets) {
        this.previousTokenSecrets = previousTokenSecrets;
    }

    public Duration getTokenTtl() {
        return tokenTtl;
    }

    public void setTokenTtl(Duration tokenTtl) {
        this.tokenTtl = tokenTtl;
    }

    public int getBcryptCost() {
        return bcryptCost;
    }

    public void setBcryptCost(int bcryptCost) {
        this.bcryptCost = bcryptCost;
    }
}

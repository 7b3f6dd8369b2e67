package io.fatechat.spring.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The REST API of register, login, rooms and history ({@code fatechat.rest.*}). */
@ConfigurationProperties(prefix = "fatechat.rest")
public class FatechatRestProperties {

    /** Whether to serve the REST API. */
    private boolean enabled = true;

    /** URL path under which the API is served. */
    private String path = "/api";

    /** Largest accepted request body (bytes unless a unit is given: 64KB); larger gets 413. */
    private DataSize maxBodySize = DataSize.ofKilobytes(64);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }
}

package io.fatechat.spring;

import java.util.Objects;

/**
 * This node's id, shared by the engine and the backends that name their clients after it.
 *
 * @param value letters, digits, '.', '_' and '-'
 */
public record FatechatNodeId(String value) {

    public FatechatNodeId {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "fatechat.node-id must be 1 to 64 letters, digits, '.', '_' or '-', was '" + value + "'");
        }
    }
}

package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Secret's decoded keys. A real API server folds {@code stringData} into {@code data} on write;
 * the mock stores what it is given, so both are read here ({@code stringData} wins, as it would).
 */
final class SecretData {

    private SecretData() {
    }

    static Map<String, byte[]> of(Secret secret) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> values.put(key, Base64.getDecoder().decode(value)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((key, value) -> values.put(key, value.getBytes(StandardCharsets.UTF_8)));
        }
        return values;
    }
}

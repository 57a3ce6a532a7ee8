package io.syncctl.worker.kube;

import io.fabric8.kubernetes.client.Config;
import io.syncctl.shared.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesConnectionTest {
    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster: {server: "https://prod.example:6443", insecure-skip-tls-verify: true}
            - name: dev
              cluster: {server: "https://dev.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: ops
              user: {token: "tok-very-secret"}
            contexts:
            - name: prod
              context: {cluster: prod, user: ops, namespace: syncs}
            - name: dev
              context: {cluster: dev, user: ops}
            current-context: prod
            """;

    private final java.util.Properties saved = new java.util.Properties();

    /** Quarkus tests in the same JVM point fabric8 at the mock server through system properties. */
    @org.junit.jupiter.api.BeforeEach
    void hideKubernetesSystemProperties() {
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("kubernetes.")) {
                saved.setProperty(name, System.getProperty(name));
                System.clearProperty(name);
            }
        }
    }

    @org.junit.jupiter.api.AfterEach
    void restoreKubernetesSystemProperties() {
        saved.stringPropertyNames().forEach(n -> System.setProperty(n, saved.getProperty(n)));
    }

    @Test
    void unsetMeansStandardDiscovery() {
        assertTrue(KubernetesConnection.config(null, null).isEmpty());
        assertTrue(KubernetesConnection.config("  ", null).isEmpty());
    }

    @Test
    void yamlContentWithAndWithoutContext() {
        Config current = KubernetesConnection.config(KUBECONFIG, null).orElseThrow();
        assertEquals("https://prod.example:6443/", current.getMasterUrl());
        assertEquals("tok-very-secret", current.getAutoOAuthToken());
        assertEquals("syncs", current.getNamespace());
        Config dev = KubernetesConnection.config(KUBECONFIG, "dev").orElseThrow();
        assertEquals("https://dev.example:6443/", dev.getMasterUrl());
    }

    @Test
    void pathToAKubeconfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, KUBECONFIG);
        assertEquals("https://prod.example:6443/", KubernetesConnection.config(file.toString(), null).orElseThrow().getMasterUrl());
    }

    @Test
    void badValuesNameTheVariableAndNoSecret(@TempDir Path dir) {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> KubernetesConnection.config(dir.resolve("nope").toString(), null));
        assertEquals("SYNCCTL_KUBERNETES_CLIENT_CONFIG", missing.variable());
        InvalidSettingException context = assertThrows(InvalidSettingException.class,
                () -> KubernetesConnection.config(KUBECONFIG, "staging"));
        assertEquals("SYNCCTL_KUBERNETES_CONTEXT", context.variable());
        InvalidSettingException garbage = assertThrows(InvalidSettingException.class,
                () -> KubernetesConnection.config("apiVersion: v1\nusers: [tok-very-secret\n", null));
        assertEquals("SYNCCTL_KUBERNETES_CLIENT_CONFIG", garbage.variable());
        assertFalse(garbage.getMessage().contains("tok-very-secret"), garbage.getMessage());
    }
}

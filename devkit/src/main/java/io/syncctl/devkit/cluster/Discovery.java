package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Map;

/**
 * The discovery documents of the core API group ({@code /api}, {@code /api/v1}, {@code /apis}),
 * which the mock does not serve and {@code kubectl} needs before anything else.
 */
final class Discovery {

    static final VersionInfo VERSION = new VersionInfo.Builder()
            .withMajor("1").withMinor("32").withGitVersion("v1.32.0").withPlatform("linux/amd64").build();

    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    static final Map<String, String> DOCUMENTS = Map.of(
            "/api", Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build()),
            "/apis", Serialization.asJson(new APIGroupListBuilder().build()),
            "/api/v1", Serialization.asJson(new APIResourceListBuilder().withGroupVersion("v1").withResources(
                    resource("pods", "Pod", true, ALL_VERBS, "po"),
                    resource("pods/log", "Pod", true, List.of("get")),
                    resource("pods/status", "Pod", true, List.of("get", "patch", "update")),
                    resource("secrets", "Secret", true, ALL_VERBS),
                    resource("configmaps", "ConfigMap", true, ALL_VERBS, "cm"),
                    resource("events", "Event", true, ALL_VERBS, "ev"),
                    resource("serviceaccounts", "ServiceAccount", true, ALL_VERBS, "sa"),
                    resource("namespaces", "Namespace", false, List.of("create", "delete", "get", "list", "patch", "update", "watch"), "ns"),
                    resource("nodes", "Node", false, ALL_VERBS, "no")).build()));

    private Discovery() {
    }

    private static APIResource resource(String name, String kind, boolean namespaced, List<String> verbs, String... shortNames) {
        return new APIResourceBuilder().withName(name).withSingularName(name.contains("/") ? "" : kind.toLowerCase())
                .withKind(kind).withNamespaced(namespaced).withVerbs(verbs).withShortNames(shortNames).build();
    }
}

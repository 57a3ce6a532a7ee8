package io.syncctl.api.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.state.StateShapes;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request body split into its top-level members, each kept as the exact text the client sent.
 * The whole body is validated as JSON by a streaming pass, but nothing is re-serialised: key order,
 * number formatting and escapes inside {@code config}, {@code catalog}, {@code state} and
 * {@code destinationConfig} reach the connector as sent. Error messages give a position only,
 * never the offending text (it may be a credential).
 */
final class JsonBody {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(Integer.MAX_VALUE).build())
            .build();

    record Member(String text, JsonToken kind) {
    }

    private final Map<String, Member> members;

    private JsonBody(Map<String, Member> members) {
        this.members = members;
    }

    static JsonBody parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        Map<String, Member> members = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken kind = p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getCharOffset();
                if (members.put(name, new Member(body.substring(start, end), kind)) != null) {
                    throw ApiException.badRequest("request body has the member '" + safeName(name) + "' twice");
                }
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("request body has data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest("request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiException.badRequest("request body cannot be read");
        }
        return new JsonBody(members);
    }

    /** The raw text of a member that must be a JSON object. */
    String object(String name) {
        Member m = members.get(name);
        if (m == null || m.kind() == JsonToken.VALUE_NULL) {
            throw ApiException.badRequest("request body needs '" + name + "' (a JSON object)");
        }
        if (m.kind() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("'" + name + "' in the request body must be a JSON object");
        }
        return m.text();
    }

    /**
     * The raw text of {@code state}: an object or an array; {@code {}} when absent or null. Rows stored by
     * earlier versions come back from the console wrapped twice and are unwrapped; otherwise the text is
     * the client's, byte for byte.
     */
    String state() {
        Member m = members.get("state");
        if (m == null || m.kind() == JsonToken.VALUE_NULL) {
            return "{}";
        }
        if (m.kind() != JsonToken.START_OBJECT && m.kind() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("'state' in the request body must be a JSON object or array");
        }
        return StateShapes.unwrap(m.text());
    }

    private static String safeName(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }
}

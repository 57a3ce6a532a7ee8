package io.syncctl.sidecar.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretMaskerTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void masksSpecSecretsAndCredentialLikeKeysAtAnyDepth() throws Exception {
        var spec = json.readTree("{\"connectionSpecification\":{\"properties\":{\"dsn\":{\"type\":\"string\",\"airbyte_secret\":true},"
                + "\"auth\":{\"oneOf\":[{\"properties\":{\"cert\":{\"airbyte_secret\":true}}}]}}}}");
        var config = json.readTree("{\"host\":\"db.local\",\"dsn\":\"pg://x:y@h\",\"auth\":{\"cert\":\"CERTDATA\"},"
                + "\"nested\":{\"deeper\":[{\"Access_Token\":\"tok123\"}]},\"secrets\":{\"a\":\"inner-one\",\"b\":[\"inner-two\"]},\"port\":5432,\"ssl\":true,\"pwd\":\"ab\"}");
        SecretMasker m = SecretMasker.of(spec, List.of(config), List.of("dbpass"));
        assertEquals("host db.local dsn **** cert **** token **** **** **** port 5432 ab db ****",
                m.mask("host db.local dsn pg://x:y@h cert CERTDATA token tok123 inner-one inner-two port 5432 ab db dbpass"));
    }

    @Test
    void withoutASpecKeyNamesStillCount() throws Exception {
        SecretMasker m = SecretMasker.of(null, List.of(json.readTree("{\"apiKey\":\"k-1234\",\"user\":\"bob\"}")), List.of());
        assertEquals("user bob key ****", m.mask("user bob key k-1234"));
    }

    @Test
    void credentialNamesAreWholeWordsAndDataKeysAreNotCredentials() throws Exception {
        for (String k : List.of("password", "db_password", "DB-PASSWORD", "accessToken", "client_secret", "api_key", "apiKey",
                "apikey", "key", "access_key_id", "privateKey", "private_key", "credentials", "password2", "passphrase", "x.secret")) {
            assertTrue(SecretMasker.credentialName(k), k);
        }
        for (String k : List.of("primary_key", "primaryKey", "cursor_key", "partition_key", "sort_key", "keyspace", "monkey",
                "host", "username", "streams", "auth_method", "author", "tokenizer", "passenger_count", "s3_key_prefix")) {
            assertFalse(SecretMasker.credentialName(k), k);
        }
        SecretMasker m = SecretMasker.of(null, List.of(json.readTree("{\"primary_key\":\"user_id\",\"api_key\":\"k-1234\"}")), List.of());
        assertEquals("merging on user_id with ****", m.mask("merging on user_id with k-1234"));
    }
}

package io.syncctl.api.intake;

import io.syncctl.api.errors.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBodyTest {

    @Test
    void membersAreTheExactTextSent() {
        String config = "{ \"z\" : 1.50e0, \"a\":[ {\"\\u00e9\\\"}\":\"☃\"} ], \"n\":123456789012345678901234567890 }";
        JsonBody body = JsonBody.parse("  {\"catalog\" :{\"streams\":[]} ,\n \"config\":" + config + " , \"state\":[1] }  ");
        assertEquals(config, body.object("config"));
        assertEquals("{\"streams\":[]}", body.object("catalog"));
        assertEquals("[1]", body.state());
    }

    @Test
    void absentStateIsAnEmptyObject() {
        assertEquals("{}", JsonBody.parse("{\"config\":{}}").state());
        assertEquals("{}", JsonBody.parse("{\"config\":{},\"state\":null}").state());
    }

    @Test
    void stateRowsOfEarlierVersionsAreUnwrappedAndEverythingElseKeptAsSent() {
        String global = "[ {\"type\":\"GLOBAL\", \"global\": {\"shared_state\": {\"lsn\": 1.50}}} ]";
        assertEquals(global, JsonBody.parse("{\"state\":" + global + "}").state());
        assertEquals("[{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":7}}}]",
                JsonBody.parse("{\"state\":[{\"type\":\"GLOBAL\",\"global\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":7}}}}]}").state());
    }

    @Test
    void errorsNameTheMember() {
        JsonBody body = JsonBody.parse("{\"config\":\"x\"}");
        assertEquals("'config' in the request body must be a JSON object",
                assertThrows(ApiException.class, () -> body.object("config")).getMessage());
        assertEquals("request body needs 'catalog' (a JSON object)",
                assertThrows(ApiException.class, () -> body.object("catalog")).getMessage());
    }
}

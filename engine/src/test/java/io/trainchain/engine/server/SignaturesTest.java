package io.trainchain.engine.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each forge's proof, checked against values the forges document or compute the same way. */
class SignaturesTest {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void githubsDocumentedExampleVerifies() {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!"
        Signatures s = new Signatures("It's a Secret to Everybody");
        String documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertEquals(documented, s.githubSignature(BODY));
        assertTrue(s.valid(Forge.GITHUB, documented, BODY));
        assertTrue(s.valid(Forge.GITHUB, documented.toUpperCase().replace("SHA256=", "sha256="), BODY));
        assertFalse(s.valid(Forge.GITHUB, documented.substring(7), BODY), "the sha256= prefix is required");
        assertFalse(s.valid(Forge.GITHUB, documented, "Hello, World?".getBytes(StandardCharsets.UTF_8)));
        assertFalse(new Signatures("another secret").valid(Forge.GITHUB, documented, BODY));
        assertFalse(s.valid(Forge.GITHUB, "sha256=zz", BODY), "not hex");
        assertFalse(s.valid(Forge.GITHUB, null, BODY));
        assertFalse(s.valid(Forge.GITHUB, "", BODY));
    }

    @Test
    void giteaSignsTheSameHmacWithoutAPrefixAndGitlabSendsTheToken() {
        Signatures s = new Signatures("It's a Secret to Everybody");
        String hex = s.githubSignature(BODY).substring(7);
        assertTrue(s.valid(Forge.GITEA, hex, BODY));
        assertFalse(s.valid(Forge.GITEA, "sha256=" + hex, BODY));
        assertTrue(s.valid(Forge.GITLAB, "It's a Secret to Everybody", BODY));
        assertFalse(s.valid(Forge.GITLAB, "It's a Secret to Everybod", BODY));
        assertFalse(s.valid(Forge.GITLAB, hex, BODY));
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Signatures(""));
    }
}

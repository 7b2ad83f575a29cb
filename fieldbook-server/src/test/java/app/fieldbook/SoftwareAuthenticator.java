package app.fieldbook;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A passkey authenticator in software, for tests over HTTP: it answers registration options with a
 * credential (an ES256 key pair, attestation "none") and sign-in options with an assertion signed by that
 * key, as a browser's {@code navigator.credentials.create} and {@code get} would after the person touched
 * the sensor. Its bytes are built here from the WebAuthn specification (authenticator data, the CBOR of the
 * attestation object and of the COSE key), not with the server's library. What a browser would check (the
 * origin and relying party id) it takes as given, so a test can make it lie.
 */
public final class SoftwareAuthenticator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final int USER_PRESENT = 0x01;
    private static final int USER_VERIFIED = 0x04;
    private static final int ATTESTED_CREDENTIAL = 0x40;

    private String origin;
    private final KeyPair keys;
    private final byte[] credentialId = new byte[32];
    private String rpId;
    private byte[] userHandle;
    private long counter;
    private boolean verifiesUser = true;

    /** An authenticator used from pages of this origin ({@code http://127.0.0.1:8080}). */
    public SoftwareAuthenticator(String origin) {
        this.origin = origin;
        RANDOM.nextBytes(credentialId);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on it signs without verifying the person (no PIN, no fingerprint): flag UV unset. */
    public SoftwareAuthenticator withoutUserVerification() {
        verifiesUser = false;
        return this;
    }

    /**
     * From now on it is used from pages of this origin, as on a phishing page that relays the challenge (a
     * browser would also refuse the relying party id; the server must refuse the origin on its own).
     */
    public SoftwareAuthenticator usedFrom(String otherOrigin) {
        origin = otherOrigin;
        return this;
    }

    /** The credential id, base64url, as the server stores it. */
    public String credentialId() {
        return B64.encodeToString(credentialId);
    }

    /** The user handle the registration options gave it, base64url. */
    public String userHandle() {
        return B64.encodeToString(userHandle);
    }

    /** The new credential for these registration options (the answer of {@code registration-options}). */
    public Map<String, Object> register(JsonNode options) {
        rpId = options.path("rp").path("id").asString();
        userHandle = B64_DECODER.decode(options.path("user").path("id").asString());
        byte[] clientData = clientData("webauthn.create", options.path("challenge").asString());
        byte[] authenticatorData = authenticatorData(ATTESTED_CREDENTIAL, attestedCredential());
        ByteArrayOutputStream attestation = new ByteArrayOutputStream();
        attestation.write(0xA3);
        text(attestation, "fmt");
        text(attestation, "none");
        text(attestation, "attStmt");
        attestation.write(0xA0);
        text(attestation, "authData");
        bytes(attestation, authenticatorData);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("attestationObject", B64.encodeToString(attestation.toByteArray()));
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("transports", List.of("internal"));
        return credential(response);
    }

    /** A sign-in answering these sign-in options (the answer of {@code passkey-session/options}). */
    public Map<String, Object> signIn(JsonNode options) {
        return signIn(options.path("challenge").asString(), userHandle);
    }

    /**
     * A sign-in answering this challenge that claims this user handle (base64url; null for none) instead of
     * the one it was registered with.
     */
    public Map<String, Object> signInClaiming(JsonNode options, String claimedUserHandle) {
        return signIn(options.path("challenge").asString(),
                claimedUserHandle == null ? null : B64_DECODER.decode(claimedUserHandle));
    }

    /** An assertion made with this authenticator's key but presenting another credential id. */
    public Map<String, Object> signInAs(SoftwareAuthenticator other, JsonNode options) {
        Map<String, Object> assertion = signIn(options);
        assertion.put("id", other.credentialId());
        assertion.put("rawId", other.credentialId());
        return assertion;
    }

    private Map<String, Object> signIn(String challenge, byte[] claimedUserHandle) {
        byte[] clientData = clientData("webauthn.get", challenge);
        byte[] authenticatorData = authenticatorData(0, new byte[0]);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("authenticatorData", B64.encodeToString(authenticatorData));
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("signature", B64.encodeToString(sign(authenticatorData, clientData)));
        if (claimedUserHandle != null) {
            response.put("userHandle", B64.encodeToString(claimedUserHandle));
        }
        return credential(response);
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", credentialId());
        credential.put("rawId", credentialId());
        credential.put("type", "public-key");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        credential.put("authenticatorAttachment", "platform");
        return credential;
    }

    private byte[] clientData(String type, String challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    /** rpIdHash, flags, the signature counter (one more each time) and what follows them. */
    private byte[] authenticatorData(int extraFlags, byte[] attested) {
        counter++;
        int flags = USER_PRESENT | (verifiesUser ? USER_VERIFIED : 0) | extraFlags;
        return ByteBuffer.allocate(32 + 1 + 4 + attested.length)
                .put(sha256(rpId.getBytes(StandardCharsets.UTF_8)))
                .put((byte) flags)
                .putInt((int) counter)
                .put(attested)
                .array();
    }

    /** AAGUID (zeros), the credential id with its length, and the public key as a COSE EC2 key. */
    private byte[] attestedCredential() {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        ByteArrayOutputStream cose = new ByteArrayOutputStream();
        cose.writeBytes(new byte[] {(byte) 0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01});
        cose.write(0x21);
        bytes(cose, coordinate(key.getW().getAffineX()));
        cose.write(0x22);
        bytes(cose, coordinate(key.getW().getAffineY()));
        return ByteBuffer.allocate(16 + 2 + credentialId.length + cose.size())
                .put(new byte[16])
                .putShort((short) credentialId.length)
                .put(credentialId)
                .put(cose.toByteArray())
                .array();
    }

    private byte[] sign(byte[] authenticatorData, byte[] clientData) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(authenticatorData);
            signature.update(sha256(clientData));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
        return fixed;
    }

    private static void text(ByteArrayOutputStream cbor, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        cbor.write(0x60 | utf8.length);
        cbor.writeBytes(utf8);
    }

    /** A CBOR byte string (major type 2) with its length. */
    private static void bytes(ByteArrayOutputStream cbor, byte[] value) {
        if (value.length < 24) {
            cbor.write(0x40 | value.length);
        } else if (value.length < 256) {
            cbor.write(0x58);
            cbor.write(value.length);
        } else {
            cbor.write(0x59);
            cbor.write(value.length >> 8);
            cbor.write(value.length & 0xFF);
        }
        cbor.writeBytes(value);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

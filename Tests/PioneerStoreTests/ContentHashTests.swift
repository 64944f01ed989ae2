// The content hash provenance records: swift-crypto's SHA-256, written as `sha256:` and hex.
import Foundation
import PioneerStore
import Testing

@Suite struct ContentHashTests {
    @Test func contentHashIsSHA256OfTheBodyMatchingTheFIPSTestVectors() {
        #expect(ContentHash.of(Data("abc".utf8)) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.of(Data()) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.of(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(ContentHash.of(Data(repeating: 0x61, count: 1_000_000))
            == "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

// Where a plugin's `validate` issue lands: the node its dotted key names in `config:`.
import PioneerExec
import PioneerKit
import Testing

@Suite struct ConfigKeyPathTests {
    private func at(_ line: Int, _ column: Int) -> PioneerKit.SourceLocation {
        PioneerKit.SourceLocation(file: "site.yaml", line: line, column: column)
    }

    private var config: ConfigNode {
        let feed = ConfigNode.scalar("bi", at: at(3, 11), path: "config.numerator.feed")
        let numerator = ConfigNode.mapping([("feed", feed)], at: at(3, 5), path: "config.numerator")
        let first = ConfigNode.scalar("/a", at: at(5, 9), path: "config.blocks[0]")
        let second = ConfigNode.scalar("/b", at: at(6, 9), path: "config.blocks[1]")
        let blocks = ConfigNode(.sequence([first, second]), location: at(5, 5), path: "config.blocks")
        return ConfigNode.mapping([("numerator", numerator), ("blocks", blocks)], at: at(2, 3), path: "config")
    }

    @Test func aDottedKeyNamesTheNodeInsideTheConfig() {
        #expect(ExecPluginCheck.node(at: "numerator.feed", in: config).location == at(3, 11))
    }

    @Test func listItemsAreNamedByIndexEitherWay() {
        #expect(ExecPluginCheck.node(at: "blocks[1]", in: config).location == at(6, 9))
        #expect(ExecPluginCheck.node(at: "blocks.0", in: config).location == at(5, 9))
    }

    @Test func aKeyThatIsNotThereLandsAtItsNearestAncestor() {
        #expect(ExecPluginCheck.node(at: "numerator.denominator.feed", in: config).location == at(3, 5))
        #expect(ExecPluginCheck.node(at: "", in: config).location == at(2, 3))
    }
}

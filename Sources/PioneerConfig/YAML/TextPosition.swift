// Line and column arithmetic over YAML text, counted the way libyaml counts them,
// so positions computed here agree with the marks libyaml reports.

/// Converts between offsets in a text and 1-based line:column positions.
///
/// libyaml counts columns in Unicode scalars and treats `\r\n`, `\r`, `\n`,
/// NEL (U+0085), LS (U+2028) and PS (U+2029) as line breaks; so does this type.
struct TextPosition {
    let scalars: [Unicode.Scalar]
    /// Index into `scalars` where each line starts; line N starts at `lineStarts[N - 1]`.
    let lineStarts: [Int]

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var starts = [0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\r", index < scalars.count, scalars[index] == "\n" {
                index += 1
                starts.append(index)
            } else if Self.isBreak(scalar) {
                starts.append(index)
            }
        }
        self.scalars = scalars
        self.lineStarts = starts
    }

    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// The scalar offset of a 1-based line and column, or nil when outside the text.
    func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let offset = lineStarts[line - 1] + column - 1
        let lineEnd = line < lineStarts.count ? lineStarts[line] : scalars.count
        return offset <= lineEnd ? offset : nil
    }

    /// The 1-based line and column of a scalar offset.
    func position(ofScalar offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    /// The 1-based line and column of a UTF-8 byte offset, as libyaml reports reader errors.
    static func position(ofUTF8Offset offset: Int, in text: String) -> (line: Int, column: Int) {
        var scalarOffset = 0
        for byte in text.utf8.prefix(max(0, offset)) where byte & 0xC0 != 0x80 {
            scalarOffset += 1
        }
        return TextPosition(text).position(ofScalar: scalarOffset)
    }
}

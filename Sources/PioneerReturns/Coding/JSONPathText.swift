// Coding paths as the JSON paths people read in messages: `$.indicators[2].measures[0].value`.

enum JSONPathText {
    static func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
        var text = "$"
        for component in codingPath + (key.map { [$0] } ?? []) {
            if let index = component.intValue {
                text += "[\(index)]"
            } else {
                text += "." + component.stringValue
            }
        }
        return text
    }
}

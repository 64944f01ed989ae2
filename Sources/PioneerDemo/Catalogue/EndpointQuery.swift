// Reading the period a request asks for from its query parameters.
import PioneerKit

/// A request's problem, answered with a 4xx status and a plain-English message.
struct EndpointError: Error, Sendable {
    var status: Int
    var message: String

    static func badRequest(_ message: String) -> EndpointError {
        EndpointError(status: 400, message: message)
    }
}

/// The query parameters of one request, with the date range they ask for.
///
/// Every endpoint accepts the same ways of naming a period, as the example sites
/// use them: `from=2024-04-01&to=2024-06-30` (inclusive dates), or a period label in
/// `month=`, `quarter=`, `year=` or `period=` (`2024-05`, `FY2024-25 Q1`, `FY2024-25`).
struct EndpointQuery: Sendable {
    var parameters: [String: String]
    var from: CalendarDate
    var to: CalendarDate
    /// The period label when the request named one, for echoing in the answer.
    var label: String?

    init(_ parameters: [String: String]) throws(EndpointError) {
        self.parameters = parameters
        if parameters["from"] != nil || parameters["to"] != nil {
            guard let fromText = parameters["from"], let toText = parameters["to"] else {
                throw .badRequest("give both `from` and `to` (YYYY-MM-DD), or one of month, quarter, year or period")
            }
            guard let from = CalendarDate(iso: fromText) else {
                throw .badRequest("`from` must be a date YYYY-MM-DD, got `\(fromText)`")
            }
            guard let to = CalendarDate(iso: toText) else {
                throw .badRequest("`to` must be a date YYYY-MM-DD, got `\(toText)`")
            }
            guard from <= to else {
                throw .badRequest("`from` (\(from)) is after `to` (\(to))")
            }
            self.from = from
            self.to = to
            label = nil
            return
        }
        for name in ["month", "quarter", "year", "period"] {
            guard let text = parameters[name] else { continue }
            let period: Period
            do {
                period = try Period(parsing: text)
            } catch {
                throw .badRequest("`\(name)`: \(error.description)")
            }
            from = period.start
            to = period.end
            label = period.label
            return
        }
        throw .badRequest("say which period: month=YYYY-MM, quarter=FY2024-25 Q1, year=FY2024-25, or from=YYYY-MM-DD&to=YYYY-MM-DD")
    }

    /// The months of the history the request covers; empty for periods outside it.
    var months: [Period] {
        DemoHistory.months(overlapping: from, to)
    }

    /// Whether `date` lies in the requested range.
    func contains(_ date: CalendarDate) -> Bool {
        from <= date && date <= to
    }

    /// The period fields every JSON answer starts with: the label when one was given, and the dates.
    var echo: [(String, DemoJSON)] {
        var fields: [(String, DemoJSON)] = []
        if let label { fields.append(("period", .string(label))) }
        fields.append(("from", .string(from.description)))
        fields.append(("to", .string(to.description)))
        return fields
    }
}

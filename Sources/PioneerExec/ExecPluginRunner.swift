// Starting an external plugin's process and getting its answer: one request in, one
// answer out, its stderr logged, and nothing it does able to hang or flood the host.
public import Foundation
public import Logging
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one call of the external plugin protocol (docs/plugin-protocol.md).
///
/// The process is started with swift-subprocess in a process group of its own, with only
/// the environment the site gives it, in the site folder. The request is its stdin (a
/// file the host wrote and unlinked, so a plugin that never reads it cannot block the
/// host, and one that exits early cannot raise SIGPIPE in it). Its stdout is read up to
/// ``ExecPluginSpec/outputLimit``; its stderr is logged line by line as it comes.
///
/// Whatever the plugin does, the call ends: at the deadline the group gets SIGTERM, then
/// SIGKILL after ``ExecPluginSpec/gracePeriod``; once the plugin itself has exited, the
/// group gets SIGKILL, so a child it left behind holding stdout open neither delays the
/// answer nor outlives the call.
public enum ExecPluginRunner {
    /// Runs `spec` with `request` on stdin and returns its stdout, once it has exited 0
    /// with a well-formed answer in protocol version ``PluginProtocol/version``.
    ///
    /// - Parameter logger: where its stderr lines go, with `plugin` metadata; by default
    ///   `pioneer.plugin.NAME`.
    /// - Throws: ``ExecPluginError`` naming the plugin, what went wrong and its last stderr lines.
    public static func call(_ spec: ExecPluginSpec, request: Data, logger: Logger? = nil) async throws(ExecPluginError) -> Data {
        var log = logger ?? Logger(label: "pioneer.plugin.\(spec.name)")
        log[metadataKey: "plugin"] = "\(spec.name)"
        let outcome = try await run(spec, request: request, logger: log)
        return try outcome.answer(plugin: spec.name)
    }

    /// The variables every plugin process gets besides its own (docs/plugin-protocol.md).
    public static func environment(for spec: ExecPluginSpec,
                                   host: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = spec.environment
        for name in ["PATH", "HOME", "LANG"] where environment[name] == nil {
            if let value = host[name] { environment[name] = value }
        }
        environment[PluginProtocol.versionVariable] = String(PluginProtocol.version)
        environment[PluginProtocol.cookieVariable] = PluginProtocol.cookie
        return environment
    }

    // MARK: One process

    /// What one process did.
    struct Outcome: Sendable {
        var output: Data
        var termination: TerminationStatus
        var stoppedAtDeadline: Bool
        var outputTooLarge: Bool
        var stderrTail: [String]
        var deadline: Duration
        var outputLimit: Int

        /// The answer, or why there is none, in the order a person would want to be told.
        func answer(plugin: String) throws(ExecPluginError) -> Data {
            func fail(_ kind: ExecPluginError.Kind) -> ExecPluginError {
                ExecPluginError(plugin: plugin, kind: kind, stderrTail: stderrTail)
            }
            if stoppedAtDeadline {
                throw fail(PluginProtocol.announcedVersion(in: output) != nil ? .didNotExit(deadline) : .deadlinePassed(deadline))
            }
            if outputTooLarge { throw fail(.outputTooLarge(limit: outputLimit)) }
            // A plugin of another version may well exit non-zero after saying so: the
            // version is the more useful news.
            if let version = PluginProtocol.announcedVersion(in: output), version != PluginProtocol.version {
                throw fail(.protocolVersion(version))
            }
            switch termination {
            case .signaled(let signal): throw fail(.signalled(signal))
            case .exited(let status) where status != 0: throw fail(.exitStatus(status))
            default: break
            }
            return output
        }
    }

    static func run(_ spec: ExecPluginSpec, request: Data, logger: Logger) async throws(ExecPluginError) -> Outcome {
        let input: CInt
        do {
            input = try RequestFile.descriptor(holding: request)
        } catch {
            throw ExecPluginError(plugin: spec.name, kind: .launchFailed("cannot write the request: \(error.description)"))
        }
        defer { close(input) }

        var options = PlatformOptions()
        // A group of its own (pgid = its pid), so the deadline reaches its children too.
        options.processGroupID = 0
        var variables: [Environment.Key: String] = [:]
        for (name, value) in environment(for: spec) {
            if let key = Environment.Key(rawValue: name) { variables[key] = value }
        }
        let configuration = Configuration(
            executable: .path(FilePath(spec.command.path)),
            arguments: Arguments(spec.arguments),
            environment: .custom(variables),
            workingDirectory: FilePath(spec.workingDirectory.path),
            platformOptions: options)
        let started = ContinuousClock.now
        do {
            let result = try await Subprocess.run(
                configuration,
                input: .fileDescriptor(FileDescriptor(rawValue: input), closeAfterSpawningProcess: false),
                output: .sequence, error: .sequence
            ) { execution in
                await watch(execution, spec: spec, started: started, logger: logger)
            }
            var outcome = result.closureResult
            outcome.termination = result.terminationStatus
            return outcome
        } catch {
            throw ExecPluginError(plugin: spec.name, kind: .launchFailed(launchMessage(error, command: spec.command)))
        }
    }

    private enum Event: Sendable {
        case output(Data, tooLarge: Bool)
        case log([String])
        case watch(ProcessGroupWatch.End)
        case drained
    }

    /// How long the pipes may stay open once the plugin has exited and its group is gone:
    /// what it wrote is already in them, so this only bounds a holder outside its group.
    static let drainTime = Duration.seconds(2)

    /// Reads stdout and stderr to their ends while watching the clock and the process.
    private static func watch(_ execution: Execution<FileDescriptorInput, SequenceOutput, SequenceOutput>,
                              spec: ExecPluginSpec, started: ContinuousClock.Instant, logger: Logger) async -> Outcome {
        let group = execution.processIdentifier.value
        RunningPlugins.started(group)
        defer { RunningPlugins.ended(group) }
        let standardOutput = execution.standardOutput
        let standardError = execution.standardError
        return await withTaskGroup(of: Event.self) { tasks in
            tasks.addTask {
                var data = Data()
                var tooLarge = false
                do {
                    for try await buffer in standardOutput {
                        guard !tooLarge else { continue }
                        guard data.count + buffer.count <= spec.outputLimit else {
                            // Stop it, then drain what is left, holding none of it.
                            tooLarge = true
                            data = Data()
                            kill(-group, SIGKILL)
                            continue
                        }
                        buffer.withUnsafeBytes { data.append(contentsOf: $0) }
                    }
                } catch {
                    logger.warning("stopped reading the plugin's stdout: \(error)")
                }
                return .output(data, tooLarge: tooLarge)
            }
            tasks.addTask {
                var lines = StderrLog(limit: spec.logLimit, logger: logger)
                do {
                    for try await buffer in standardError {
                        buffer.withUnsafeBytes { lines.take($0) }
                    }
                } catch {
                    logger.warning("stopped reading the plugin's stderr: \(error)")
                }
                lines.finish()
                return .log(lines.tail)
            }
            let watch = ProcessGroupWatch(group: group, deadline: started + spec.deadline, grace: spec.gracePeriod)
            tasks.addTask {
                .watch(await watch.whileReading())
            }
            var outcome = Outcome(output: Data(), termination: .exited(0), stoppedAtDeadline: false, outputTooLarge: false,
                                  stderrTail: [], deadline: spec.deadline, outputLimit: spec.outputLimit)
            var streamsOpen = 2
            while let event = await tasks.next() {
                switch event {
                case .output(let data, let tooLarge):
                    outcome.output = data
                    outcome.outputTooLarge = tooLarge
                    streamsOpen -= 1
                case .log(let tail):
                    outcome.stderrTail = tail
                    streamsOpen -= 1
                case .watch(let end):
                    outcome.stoppedAtDeadline = end == .deadline
                    if end == .exited, streamsOpen > 0 {
                        tasks.addTask {
                            try? await Task.sleep(for: drainTime)
                            return .drained
                        }
                    }
                case .drained:
                    if streamsOpen > 0 { logger.warning("its stdout or stderr stayed open after it exited; stopped reading them") }
                    tasks.cancelAll()
                }
                if streamsOpen == 0 { tasks.cancelAll() }
            }
            // Both streams have ended, which nearly always means it has exited; if it
            // closed them and went on, the deadline still holds. Either way its group goes.
            if !outcome.stoppedAtDeadline {
                outcome.stoppedAtDeadline = await watch.untilExit()
            }
            return outcome
        }
    }

    /// The interpreter a script's `#!` line names (`/usr/bin/env python3` gives `python3`), or nil.
    static func interpreter(of script: URL) -> String? {
        guard let handle = FileHandle(forReadingAtPath: script.path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256)) ?? Data()
        guard head.starts(with: Data("#!".utf8)) else { return nil }
        let line = String(decoding: head.dropFirst(2).prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first else { return nil }
        if first.hasSuffix("/env"), words.count > 1 { return words.dropFirst().first { !$0.hasPrefix("-") } }
        return first
    }

    private static func launchMessage(_ error: any Error, command: URL) -> String {
        guard let error = error as? SubprocessError else { return "\(error)" }
        let reason = error.underlyingError.map { String(cString: strerror($0.rawValue)) }
        switch error.code {
        case .executableNotFound:
            // The file may be there with a `#!` line naming an interpreter that is not.
            if FileManager.default.isExecutableFile(atPath: command.path), let interpreter = Self.interpreter(of: command) {
                return "\(command.path) names the interpreter `\(interpreter)` in its first line, and that was not found; install it or correct the `#!` line"
            }
            return "\(command.path) was not found"
        case .failedToChangeWorkingDirectory:
            return "cannot enter its working directory" + (reason.map { " (\($0))" } ?? "")
        case .spawnFailed where [EAGAIN, ENOMEM, EMFILE, ENFILE].contains(error.underlyingError?.rawValue ?? 0):
            // The system's refusal, not the program's: the process, memory or file limits.
            let limit = switch error.underlyingError?.rawValue ?? 0 {
            case EAGAIN: "the limit on processes and threads (`ulimit -u`, or a container's pids limit) is reached"
            case ENOMEM: "there is not enough memory"
            default: "the limit on open files (`ulimit -n`) is reached"
            }
            return "the system refused to start \(command.path) (\(reason ?? "refused")): \(limit)"
        case .spawnFailed:
            return "\(command.path) cannot be run" + (reason.map { " (\($0))" } ?? "")
                + "; is it executable, and does its first line name an interpreter that exists?"
        default:
            return "\(command.path): \(error.description)"
        }
    }
}

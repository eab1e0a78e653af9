import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Enforces ``RequestReadDeadlines`` on one connection: closes it when a request head or body
/// takes too long, and closes it (after a short linger, without reading on) when an answer went
/// out before its request's body was read, so a refused 100 MB upload is not read to its end.
///
/// Hand-written because Hummingbird's only connection timer, `idleTimeout`, restarts on every
/// request part: a head trickled a byte at a time produces no part, and a body trickled a byte
/// at a time produces one part per byte, so neither is ever idle. It sits in Hummingbird's
/// `additionalChannelHandlers`, between the HTTP decoder and the request handling.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: RequestReadDeadlines
    /// When the connection closes unless the deadline is cancelled or moved first, and whether
    /// that close is for a request that did not arrive in time (logged) or the end of a linger.
    private var closeAt: (deadline: NIODeadline, late: Bool)?
    /// The one timer of the connection and when it fires. It is not cancelled when a request
    /// ends or moved when the next one arms a later deadline: when it fires it closes the
    /// connection if `closeAt` has passed, or waits again for `closeAt`. So a keep-alive request
    /// costs no timer of its own, where a timer scheduled and cancelled per request was a
    /// measurable share of an introspection.
    private var timer: (task: Scheduled<Void>, firesAt: NIODeadline)?
    private var partsInThisRead = 0
    private let logger: Logger

    init(limits: ConnectionLimits, logger: Logger) {
        self.deadlines = RequestReadDeadlines(
            headTimeout: TimeAmount(limits.headReadTimeout), bodyTimeout: TimeAmount(limits.bodyReadTimeout))
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { perform(deadlines.connectionStarted(at: .now()), context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(deadlines.connectionStarted(at: .now()), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partsInThisRead += 1
        let part: RequestReadDeadlines.Part
        switch unwrapInboundIn(data) {
        case .head: part = .head
        case .body: part = .body
        case .end: part = .end
        }
        perform(deadlines.partRead(part, at: .now()), context: context)
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        let count = partsInThisRead
        partsInThisRead = 0
        perform(deadlines.readCompleted(partCount: count, at: .now()), context: context)
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if deadlines.answerHeadWritten() {
                head.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            } else {
                context.write(data, promise: promise)
            }
        case .body:
            context.write(data, promise: promise)
        case .end:
            let action = deadlines.answerEndWritten(at: .now())
            guard case .closeOutputAndLingerUntil = action else {
                context.write(data, promise: promise)
                perform(action, context: context)
                return
            }
            // The output closes once the answer's last bytes are written, not before.
            let written = context.eventLoop.makePromise(of: Void.self)
            if let promise { written.futureResult.cascade(to: promise) }
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(mode: .output, promise: nil) }
            perform(action, context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        // While lingering nothing more is read: the unread rest of a refused body stays with
        // the client (TCP flow control stops it) instead of being read and thrown away.
        guard !deadlines.stopsReading else { return }
        context.read()
    }

    private func perform(_ action: RequestReadDeadlines.Action, context: ChannelHandlerContext) {
        switch action {
        case .doNothing:
            break
        case .cancel:
            closeAt = nil
        case .arm(let deadline):
            closeAt = (deadline, late: true)
            wake(at: deadline, context: context)
        case .closeOutputAndLingerUntil(let deadline):
            // `write` closes the output after the answer; the connection closes for good here.
            closeAt = (deadline, late: false)
            wake(at: deadline, context: context)
        }
    }

    /// Makes sure the timer fires no later than `deadline`.
    private func wake(at deadline: NIODeadline, context: ChannelHandlerContext) {
        if let timer, timer.firesAt <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
        timer = (task, deadline)
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let closeAt else { return }
        guard closeAt.deadline <= .now() else {
            wake(at: closeAt.deadline, context: context)
            return
        }
        self.closeAt = nil
        if closeAt.late { logger.debug("closing a connection whose request did not arrive in time") }
        context.close(promise: nil)
    }

    private func stopTimer() {
        timer?.task.cancel()
        timer = nil
        closeAt = nil
    }
}

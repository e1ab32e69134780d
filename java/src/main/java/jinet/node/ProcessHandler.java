package jinet.node;

/**
 * What a jinet process does with what reaches it. Called for one message at a time, in arrival
 * order, on the process's scheduler thread: it must not block (hand waits to
 * {@link Node#blockingExecutor()}).
 */
public interface ProcessHandler {
    void onMessage(LocalProcess self, Message message);
}

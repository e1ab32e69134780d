package jinet.dist;

/** What a jinet process does with what reaches it. Called on connection threads: hand off real work. */
public interface ProcessHandler {
    void onMessage(LocalProcess self, Message message);
}

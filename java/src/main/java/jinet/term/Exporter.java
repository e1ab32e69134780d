package jinet.term;

/**
 * Where a library of Erlang functions puts them: the runtime's export table implements it, so
 * the inet semantics can offer their functions without depending on the runtime that calls them.
 */
public interface Exporter {
    /** Offers {@code module:name/arity}, a function that computes and returns without waiting on anything. */
    void export(String module, String name, int arity, ErlFunction function);

    /**
     * Offers a function that may wait (on files, name servers, libc): the runtime runs it where
     * waiting holds up no other process and no connection.
     */
    void exportBlocking(String module, String name, int arity, ErlFunction function);
}

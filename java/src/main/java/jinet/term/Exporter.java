package jinet.term;

/**
 * Where a library of Erlang functions puts them: the runtime's export table implements it, so
 * the inet semantics can offer their functions without depending on the runtime that calls them.
 */
@FunctionalInterface
public interface Exporter {
    /** Offers {@code module:name/arity}; exporting the same function twice is a programming error. */
    void export(String module, String name, int arity, ErlFunction function);
}

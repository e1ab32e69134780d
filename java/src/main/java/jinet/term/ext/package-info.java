/**
 * The external term format as BEAM writes it, to and from JInterface term objects, without
 * recursion on the Java stack and with every peer-supplied length checked before it is
 * allocated. Depends on JInterface only.
 */
package jinet.term.ext;

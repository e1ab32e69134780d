/**
 * jinet's logging back end for SLF4J: one line per event on stderr, configured by the same keys as
 * slf4j-simple ({@code simplelogger.properties} on the class path, {@code org.slf4j.simpleLogger.*} system
 * properties), and cheap to start: no date formatter, locale data or calendar is loaded until a line is written.
 */
package jinet.log;

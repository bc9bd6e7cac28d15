package org.moqrelay.cli;

/**
 * A configuration problem: a bad or unknown key, a bad value, or a setting of a feature this relay
 * does not have yet. The message is one line that names the key (or flag, or variable) and, for
 * the file, the line. {@code moq-relay} prints it and exits with status 2.
 */
final class ConfigException extends RuntimeException {
    ConfigException(String message) {
        super(message, null, false, false);
    }
}

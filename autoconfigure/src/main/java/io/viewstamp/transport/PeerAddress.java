package io.viewstamp.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where one replica listens: a host name or address and a TCP port, written {@code host:port}
 * ({@code [ipv6]:port} for an IPv6 address), as in the peer list every replica shares.
 *
 * @param host a host name, an IPv4 address or an IPv6 address (without brackets)
 * @param port the TCP port, 1..65535
 */
public record PeerAddress(String host, int port) {

	/** The highest TCP port. */
	public static final int PORT_MAX = 65_535;

	private static final String EXPECTED_FORM = "the form host:port, e.g. localhost:7401 or [::1]:7401";

	public PeerAddress {
		Objects.requireNonNull(host, "host");
		if (host.isBlank() || !host.strip().equals(host)) {
			throw new InvalidPeerAddressException("Peer host '" + host + "' is blank or has surrounding spaces: give a "
					+ "host name or address, e.g. localhost or 10.0.0.5");
		}
		if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
			throw new InvalidPeerAddressException("Peer host '" + host + "' has brackets: give an IPv6 address without "
					+ "them (brackets belong only in the text form [::1]:7401)");
		}
		if (port < 1 || port > PORT_MAX) {
			throw new InvalidPeerAddressException("Peer port " + port + " of host " + host + " is outside 1.." + PORT_MAX
					+ ": give the TCP port the replica listens on, e.g. 7401");
		}
	}

	/**
	 * Reads an address written {@code host:port} or {@code [ipv6]:port}; spaces around it are ignored.
	 * @param text the address
	 * @return the address
	 * @throws InvalidPeerAddressException when the text is not of that form, naming the text
	 */
	public static PeerAddress parse(String text) {
		if (text == null) {
			throw new InvalidPeerAddressException("Peer address is missing: expected " + EXPECTED_FORM);
		}
		String address = text.strip();
		String host;
		String port;
		if (address.startsWith("[")) {
			int close = address.indexOf(']');
			if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
				throw malformed(text, "an IPv6 address in brackets must be followed by :port");
			}
			host = address.substring(1, close);
			port = address.substring(close + 2);
		}
		else {
			int colon = address.lastIndexOf(':');
			if (colon < 0) {
				throw malformed(text, "there is no port");
			}
			host = address.substring(0, colon);
			port = address.substring(colon + 1);
			if (host.indexOf(':') >= 0) {
				throw malformed(text, "an IPv6 address must be written in brackets");
			}
		}
		if (host.isBlank()) {
			throw malformed(text, "there is no host");
		}
		return new PeerAddress(host, parsePort(text, port));
	}

	/**
	 * The socket address to dial, left unresolved so that the name is looked up at each connection
	 * attempt (a peer whose address changed is found again after its restart).
	 * @return the unresolved socket address
	 */
	public InetSocketAddress socketAddress() {
		return InetSocketAddress.createUnresolved(this.host, this.port);
	}

	/** The text form, {@code host:port}, or {@code [ipv6]:port}; {@link #parse} reads it back. */
	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

	private static int parsePort(String text, String port) {
		boolean digits = port.chars().allMatch((character) -> character >= '0' && character <= '9');
		if (port.isEmpty() || port.length() > 5 || !digits) {
			throw malformed(text, "port '" + port + "' is not a number");
		}
		int number = Integer.parseInt(port);
		if (number < 1 || number > PORT_MAX) {
			throw malformed(text, "port " + number + " is outside 1.." + PORT_MAX);
		}
		return number;
	}

	private static InvalidPeerAddressException malformed(String text, String problem) {
		return new InvalidPeerAddressException(
				"Peer address '" + text + "' is not valid (" + problem + "): expected " + EXPECTED_FORM);
	}

}

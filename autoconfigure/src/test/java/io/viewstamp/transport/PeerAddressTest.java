package io.viewstamp.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for {@link PeerAddress}: the text form of the peer list, and errors that say how to fix it. */
class PeerAddressTest {

	@Test
	void hostAndPortAreRead() {
		assertThat(PeerAddress.parse("localhost:7401")).isEqualTo(new PeerAddress("localhost", 7401));
		assertThat(PeerAddress.parse("10.0.0.5:1")).isEqualTo(new PeerAddress("10.0.0.5", 1));
		assertThat(PeerAddress.parse(" replica-2.example.com:65535 "))
			.isEqualTo(new PeerAddress("replica-2.example.com", 65535));
	}

	@Test
	void ipv6AddressIsReadFromBrackets() {
		assertThat(PeerAddress.parse("[::1]:7401")).isEqualTo(new PeerAddress("::1", 7401));
		assertThat(PeerAddress.parse("[fe80::1:2]:80").host()).isEqualTo("fe80::1:2");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost:7401", "[::1]:7401", "10.0.0.5:80" })
	void textFormIsReadBack(String text) {
		assertThat(PeerAddress.parse(text)).hasToString(text);
		assertThat(PeerAddress.parse(PeerAddress.parse(text).toString())).isEqualTo(PeerAddress.parse(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "a:b", ":7401", "host:70000", "host:0", "host:", "host:-1", "::1:7401",
			"[::1]7401", "[::1", "[]:7401", "", "host:7401x", "host: 7401" })
	void malformedTextIsRefusedWithTheExpectedForm(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> PeerAddress.parse(text))
			.withMessageContaining("'" + text + "'")
			.withMessageContaining("host:port, e.g. localhost:7401");
	}

	@Test
	void missingTextIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PeerAddress.parse(null))
			.withMessageContaining("host:port");
	}

	@Test
	void constructorRefusesImpossiblePortsAndBlankHosts() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PeerAddress("localhost", 0))
			.withMessageContaining("Peer port 0")
			.withMessageContaining("1..65535");
		assertThatIllegalArgumentException().isThrownBy(() -> new PeerAddress("localhost", 65536))
			.withMessageContaining("65536");
		assertThatIllegalArgumentException().isThrownBy(() -> new PeerAddress(" ", 7401))
			.withMessageContaining("blank");
		assertThatIllegalArgumentException().isThrownBy(() -> new PeerAddress("[::1]", 7401))
			.withMessageContaining("without them");
	}

	@Test
	void socketAddressIsLeftUnresolvedForDialing() {
		assertThat(PeerAddress.parse("localhost:7401").socketAddress().isUnresolved()).isTrue();
		assertThat(PeerAddress.parse("localhost:7401").socketAddress().getPort()).isEqualTo(7401);
	}

}

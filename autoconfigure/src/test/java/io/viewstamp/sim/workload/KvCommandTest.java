package io.viewstamp.sim.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for {@link KvCommand}. */
class KvCommandTest {

	@Test
	void commandsSurviveEncoding() {
		for (KvCommand command : new KvCommand[] { KvCommand.put("k1", "c3-17"), KvCommand.put("", ""),
				KvCommand.put("k", null), KvCommand.get("k2"), KvCommand.put("clé", "värde ✓") }) {
			assertThat(KvCommand.decode(command.encode())).isEqualTo(command);
		}
	}

	@Test
	void aNullValueAndAnEmptyStringEncodeDifferently() {
		assertThat(KvCommand.put("k", null).encode()).isNotEqualTo(KvCommand.put("k", "").encode());
		assertThat(KvCommand.encodeResult(null)).isNotEqualTo(KvCommand.encodeResult(""));
		assertThat(KvCommand.decodeResult(KvCommand.encodeResult(null))).isNull();
		assertThat(KvCommand.decodeResult(KvCommand.encodeResult(""))).isEmpty();
		assertThat(KvCommand.decodeResult(KvCommand.encodeResult("c0-1"))).isEqualTo("c0-1");
	}

	@Test
	void bytesThatAreNotACommandAreRefused() {
		byte[] put = KvCommand.put("key", "value").encode();
		assertThatIllegalArgumentException().isThrownBy(() -> KvCommand.decode(new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> KvCommand.decode(new byte[] { 9, 0, 0, 0, 0 }))
			.withMessageContaining("Unknown command kind 9");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KvCommand.decode(java.util.Arrays.copyOf(put, put.length - 1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KvCommand.decode(java.util.Arrays.copyOf(put, put.length + 1)))
			.withMessageContaining("after the command");
		assertThatIllegalArgumentException().isThrownBy(() -> KvCommand.decodeResult(new byte[] { 2 }));
	}

	@Test
	void aGetCarriesNoValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KvCommand(KvCommand.Kind.GET, "k", "v"));
	}

}

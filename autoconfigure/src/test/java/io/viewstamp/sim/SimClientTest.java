package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.linearizability.KvOperation;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link SimClient}. */
class SimClientTest {

	private static final int REQUEST_TIMEOUT_TICKS = 10;

	private final List<String> sent = new ArrayList<>();

	private final RequestRegistry registry = new RequestRegistry();

	private final SimClient client = new SimClient(2, new Cluster(1, 3), REQUEST_TIMEOUT_TICKS,
			SimWorkload.ofKeys(5, 0.5, 0), new SplittableRandom(3), this.registry,
			(client, replica, request) -> this.sent.add(replica + ":" + request.requestNumber()));

	@Test
	void aClientRegistersThenSendsOneNumberedRequestAtATimeToThePrimary() {
		this.client.submitPut("k", "v1");
		this.client.submitGet("k");
		this.client.tick(1);
		assertThat(this.sent).containsExactly("0:0");
		this.client.tick(2);
		assertThat(this.sent).hasSize(1);
		assertThat(this.client.receive(reply(0, 1, 7, ReplyStatus.OK, null), 3)).isNotNull();
		assertThat(this.client.session()).isEqualTo(7);
		this.client.tick(4);
		this.client.tick(5);
		assertThat(this.sent).containsExactly("0:0", "1:1");
		Request put = this.client.receive(reply(1, 1, 8, ReplyStatus.OK, null), 6);
		assertThat(put.session()).isEqualTo(7);
		assertThat(put.operation()).isEqualTo(Operation.COMMAND);
		assertThat(KvCommand.decode(put.body())).isEqualTo(KvCommand.put("k", "v1"));
		assertThat(this.registry.contains(put)).isTrue();
		this.client.tick(7);
		this.client.receive(reply(2, 1, 9, ReplyStatus.OK, "v1"), 9);
		assertThat(this.client.isIdle()).isTrue();
		assertThat(this.client.history()).containsExactly(KvOperation.put(2, 4, 6, "k", "v1", null),
				KvOperation.get(2, 7, 9, "k", "v1"));
	}

	@Test
	void aRequestWithoutAReplyIsResentUnchangedToEveryReplicaAfterTheTimeout() {
		register();
		this.client.submitGet("k");
		this.client.tick(10);
		this.client.tick(10 + REQUEST_TIMEOUT_TICKS - 1);
		assertThat(this.sent).containsExactly("0:2");
		this.client.tick(10 + REQUEST_TIMEOUT_TICKS);
		assertThat(this.sent).containsExactly("0:2", "0:2", "1:2", "2:2");
		assertThat(this.client.statistics().resends()).isEqualTo(1);
	}

	@Test
	void repliesToOtherRequestNumbersOrOtherClientsAreIgnored() {
		register();
		this.client.submitGet("k");
		this.client.tick(10);
		assertThat(this.client.receive(reply(1, 0, 3, ReplyStatus.OK, null), 11)).isNull();
		assertThat(this.client.receive(reply(3, 0, 3, ReplyStatus.OK, "x"), 11)).isNull();
		Reply stranger = new Reply(0, 0, this.client.clientId() + 1, this.client.session(), 2, 3, ReplyStatus.OK, KvCommand.encodeResult(null));
		assertThat(this.client.receive(stranger, 11)).isNull();
		assertThat(this.client.hasOpenRequest()).isTrue();
	}

	@Test
	void anEvictedSessionMakesTheOpenOperationIndeterminateAndTheClientRegistersAgain() {
		register();
		this.client.submitPut("k", "v");
		this.client.tick(10);
		this.client.receive(reply(2, 0, 0, ReplyStatus.SESSION_EVICTED, null), 12);
		assertThat(historyOf("k")).containsExactly(KvOperation.indeterminatePut(2, 10, "k", "v"));
		assertThat(this.client.session()).isZero();
		this.sent.clear();
		this.client.submitGet("k");
		this.client.tick(13);
		assertThat(this.sent).containsExactly("0:0");
		this.client.receive(reply(0, 0, 20, ReplyStatus.OK, null), 14);
		this.client.tick(15);
		assertThat(this.sent).containsExactly("0:0", "0:1");
		assertThat(this.client.statistics().evictions()).isEqualTo(1);
	}

	@Test
	void aRestartMakesTheOpenOperationIndeterminateAndStartsANewSessionWithANewOrTheSameId() {
		register();
		long firstId = this.client.clientId();
		this.client.submitPut("k", "v");
		this.client.tick(10);
		this.client.restart(true);
		assertThat(this.client.clientId()).isEqualTo(firstId);
		assertThat(this.client.session()).isZero();
		assertThat(this.client.incarnation()).isEqualTo(1);
		assertThat(historyOf("k")).containsExactly(KvOperation.indeterminatePut(2, 10, "k", "v"));
		this.client.restart(false);
		assertThat(this.client.clientId()).isNotEqualTo(firstId);
		assertThat(historyOf("k")).hasSize(1);
	}

	@Test
	void theOpenOperationShowsAsIndeterminateInTheHistory() {
		register();
		this.client.submitGet("k");
		this.client.tick(10);
		assertThat(historyOf("k")).containsExactly(KvOperation.indeterminateGet(2, 10, "k"));
	}

	@Test
	void theWorkloadWritesUniqueValuesAndFollowsTheViewOfTheLastReply() {
		this.client.setWorkloadEnabled(true);
		this.client.tick(1);
		this.client.receive(reply(0, 4, 1, ReplyStatus.OK, null), 2);
		List<String> values = new ArrayList<>();
		for (int tick = 3; tick < 200; tick += 2) {
			this.sent.clear();
			this.client.tick(tick);
			assertThat(this.sent).hasSize(1).allMatch((destination) -> destination.startsWith("1:"));
			this.client.receive(reply(this.client.statistics().completed() + 1, 4, tick, ReplyStatus.OK, null), tick + 1);
		}
		for (KvOperation operation : this.client.history()) {
			if (operation.kind() == KvOperation.Kind.PUT) {
				values.add(operation.value());
			}
		}
		assertThat(values).isNotEmpty().doesNotHaveDuplicates().allMatch((value) -> value.startsWith("c2-"));
		assertThat(this.client.view()).isEqualTo(4);
	}

	private List<KvOperation> historyOf(String key) {
		return this.client.history().stream().filter((operation) -> operation.key().equals(key)).toList();
	}

	/** Registers and completes one GET, so the next request is number 2. */
	private void register() {
		this.client.submitGet("warm-up");
		this.client.tick(1);
		this.client.receive(reply(0, 0, 5, ReplyStatus.OK, null), 2);
		this.client.tick(3);
		this.client.receive(reply(1, 0, 6, ReplyStatus.OK, null), 4);
		this.sent.clear();
	}

	private Reply reply(long requestNumber, long view, long op, ReplyStatus status, String result) {
		long session = (requestNumber == 0) ? op : this.client.session();
		// A register's reply echoes the incarnation its request named.
		byte[] bytes = (requestNumber == 0)
				? io.viewstamp.vsr.Request.register(this.client.clientId(), this.client.incarnation()).body()
				: KvCommand.encodeResult(result);
		return new Reply(view, (int) (view % 3), this.client.clientId(), session, requestNumber, op, status, bytes);
	}

}

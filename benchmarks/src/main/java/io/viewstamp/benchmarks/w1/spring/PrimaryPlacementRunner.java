package io.viewstamp.benchmarks.w1.spring;

import java.util.concurrent.CompletableFuture;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.viewstamp.ReplicationAdministration;
import io.viewstamp.autoconfigure.ReplicaNodeLifecycle;
import io.viewstamp.benchmarks.w1.PrimaryPlacement;
import io.viewstamp.runtime.ReplicaNode;

/** Starts {@link PrimaryPlacement} in every replica of a run, before the load (if any) begins. */
@Component
@Order(0)
@ConditionalOnProperty("bench.primary")
class PrimaryPlacementRunner implements ApplicationRunner {

	private final ReplicaNodeLifecycle lifecycle;

	private final ReplicationAdministration administration;

	private final int target;

	PrimaryPlacementRunner(ReplicaNodeLifecycle lifecycle, ReplicationAdministration administration,
			@Value("${bench.primary}") int target) {
		this.lifecycle = lifecycle;
		this.administration = administration;
		this.target = target;
	}

	@Override
	public void run(ApplicationArguments args) {
		PrimaryPlacement.start(this.target, () -> {
			ReplicaNode node = this.lifecycle.getNode();
			return (node != null) ? node.status() : null;
		}, (target) -> CompletableFuture.supplyAsync(() -> this.administration.transferPrimary(target)));
	}

}

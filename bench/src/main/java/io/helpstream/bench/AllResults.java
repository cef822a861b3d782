package io.helpstream.bench;

import io.helpstream.localstack.ThrowawayEnvironment;

/** The figures of one run of every benchmark, on one environment, in order. */
record AllResults(P1Overhead.Result p1, P2SlowModel.Result p2, P3Recovery.Result p3, P4Memory.Result p4,
                  P5Cache.Result p5) {

    static AllResults run(ThrowawayEnvironment env, Report report, P1Overhead.Options p1, P2SlowModel.Options p2,
                          P3Recovery.Options p3, P4Memory.Options p4, P5Cache.Options p5) throws Exception {
        return new AllResults(P1Overhead.run(env, p1, report), P2SlowModel.run(env, p2, report),
                P3Recovery.run(env, p3, report), P4Memory.run(env, p4, report), P5Cache.run(env, p5, report));
    }
}

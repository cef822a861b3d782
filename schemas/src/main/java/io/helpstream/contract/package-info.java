/**
 * The contract between helpstream and everything around it: each topic bound to the serdes of its records
 * ({@link io.helpstream.contract.Topics}, {@link io.helpstream.contract.Topic}) and the Avro single-object encoding
 * ({@link io.helpstream.contract.AvroSerde}) reading every released version of each schema
 * ({@link io.helpstream.contract.ReleasedSchemas}). The record classes are generated into {@code io.helpstream.schema}
 * from the {@code .avsc} files in {@code src/main/avro}; the released versions are frozen in
 * {@code src/main/avro-released}.
 */
package io.helpstream.contract;

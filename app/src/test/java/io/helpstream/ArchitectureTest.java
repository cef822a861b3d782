package io.helpstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the README describes, checked on the compiled main classes of every module: no package cycles, the
 * contract and the product logic know nothing of the application around them, and the Kafka server stays in the
 * local stack.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // The processor's test fixtures reach this module as a jar of their own.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.helpstream");
    }

    @Test
    void should_have_no_cycles_between_packages() {
        slices().matching("io.helpstream.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void should_keep_the_contract_free_of_helpstream_internals() {
        noClasses().that().resideInAnyPackage("io.helpstream.schema..", "io.helpstream.contract..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helpstream..")
                .andShould().dependOnClassesThat().resideOutsideOfPackages("io.helpstream.schema..",
                        "io.helpstream.contract..", "java..", "org.apache.avro..",
                        "org.apache.kafka.common.serialization..", "org.apache.kafka.common.errors..")
                .allowEmptyShould(true)
                .because("gateways in any language depend on the contract alone")
                .check(classes.that(com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "io.helpstream.schema..", "io.helpstream.contract.."))));
    }

    @Test
    void should_keep_the_product_logic_free_of_the_application_and_the_local_stack() {
        noClasses().that().resideInAnyPackage("io.helpstream.conversation..", "io.helpstream.turn..",
                        "io.helpstream.agent..", "io.helpstream.tools..", "io.helpstream.tickets..",
                        "io.helpstream.kafka..", "io.helpstream.client..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helpstream.app..", "io.helpstream.config..",
                        "io.helpstream.cli..", "io.helpstream.localstack..", "kafka..", "org.apache.kafka.server..",
                        "io.zonky..")
                .check(classes);
    }

    @Test
    void should_let_the_turn_lifecycle_know_no_model_and_no_tool() {
        noClasses().that().resideInAPackage("io.helpstream.turn..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helpstream.agent..", "io.helpstream.tools..",
                        "io.helpstream.tickets..", "io.helpstream.conversation..", "dev.langchain4j..")
                .check(classes);
    }
}

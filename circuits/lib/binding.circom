pragma circom 2.1.0;

// RecipientBinding (PROTOCOL constraint 7): a public input that no other
// constraint reads could be dropped by an optimizer and then changed freely in
// a copied proof. Squaring it puts it in a quadratic constraint, the same trick
// Semaphore uses for `message`. Groth16 then binds it like any other input.
template RecipientBinding() {
    signal input recipient;
    signal square;
    square <== recipient * recipient;
}

//! Unit tests of the vault (motsu), with 6- and 18-decimal tokens. The
//! clearing house is played by an account.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]
use alloy_primitives::{uint, Address, FixedBytes, I256, U256};
use mock_erc20::MockErc20;
use motsu::prelude::*;

use super::*;

const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
const E6: U256 = uint!(1_000_000_U256);

fn int(x: U256) -> I256 {
    I256::try_from(x).unwrap()
}

struct Ctx<'a> {
    vault: &'a Contract<Vault>,
    token: &'a Contract<MockErc20>,
    owner: Address,
}

impl Ctx<'_> {
    fn tokens(&self, who: Address) -> U256 {
        self.token.sender(who).balance_of(who)
    }

    fn books(&self) -> (U256, U256, U256) {
        let v = self.vault.sender(self.owner);
        (v.total_margin(), v.insurance_fund_balance(), v.accrued_fees())
    }

    /// The custody identity: token balance × scale = pool + insurance + fees.
    fn assert_backed(&self) {
        let v = self.vault.sender(self.owner);
        let balance = self.token.sender(self.owner).balance_of(self.vault.address());
        let (pool, insurance, fees) = self.books();
        assert_eq!(
            balance * v.quote_scale(),
            pool + insurance + fees,
            "vault books differ from its token balance"
        );
    }
}

/// A vault over a `decimals`-decimal token; `alice` holds 1e6 whole tokens and
/// approved the vault; the clearing house is `ch`.
fn setup_vault<'a>(
    vault: &'a Contract<Vault>,
    token: &'a Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    decimals: u8,
) -> Ctx<'a> {
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, decimals);
    vault
        .sender(owner)
        .constructor(owner, token.address(), owner, uint!(100_000_000_000_000_000_U256))
        .motsu_unwrap();
    vault.sender(owner).set_clearing_house(ch).motsu_unwrap();
    let unit = U256::from(10u8).pow(U256::from(decimals));
    for who in [alice, owner] {
        token.sender(who).mint(who, unit * uint!(1_000_000_U256)).motsu_unwrap();
        token.sender(who).approve(vault.address(), U256::MAX).motsu_unwrap();
    }
    Ctx { vault, token, owner }
}

#[motsu::test]
fn usdc_margin_in_pulls_exact_tokens_and_fees_round_up(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    assert_eq!(vault.sender(owner).quote_scale(), uint!(1_000_000_000_000_U256));
    let before = c.tokens(alice);
    // 300 margin, toll 0.1234567 (rounds up to 0.123457), spread 0.0000001 (→ 0.000001).
    let toll = uint!(123_456_700_000_000_000_U256);
    let spread = uint!(100_000_000_000_U256);
    vault.sender(ch).settle_trader(alice, int(E18 * uint!(300_U256)), toll, spread).motsu_unwrap();
    // Incoming 300.1234568 → 300.123457 USDC; dust 0.0000002 to the fund.
    assert_eq!(before - c.tokens(alice), uint!(300_123_457_U256));
    let dust = uint!(200_000_000_000_U256);
    assert_eq!(c.books(), (E18 * uint!(300_U256), spread + dust, toll));
    vault.assert_emitted(&TraderSettled {
        trader: alice,
        marginDelta: int(E18 * uint!(300_U256)),
        toll,
        spread,
        tokenDelta: int(uint!(300_123_457_U256)),
        dust,
    });
    c.assert_backed();
}

#[motsu::test]
fn usdc_margin_out_pays_floor_net_of_fees_and_dust_goes_to_the_fund(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault
        .sender(ch)
        .settle_trader(alice, int(E18 * uint!(100_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    let before = c.tokens(alice);
    // Out 50.00000099…, fees 1 + 0.5 → net 48.50000099… pays 48.500000 USDC.
    let out = E18 * uint!(50_U256) + uint!(999_999_999_999_U256);
    vault.sender(ch).settle_trader(alice, -int(out), E18, E18 / uint!(2_U256)).motsu_unwrap();
    assert_eq!(c.tokens(alice) - before, uint!(48_500_000_U256));
    assert_eq!(
        c.books(),
        (E18 * uint!(100_U256) - out, E18 / uint!(2_U256) + uint!(999_999_999_999_U256), E18)
    );
    c.assert_backed();
}

#[motsu::test]
fn fees_above_an_outgoing_margin_are_pulled_from_the_trader(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault.sender(ch).settle_trader(alice, int(E18), U256::ZERO, U256::ZERO).motsu_unwrap();
    let before = c.tokens(alice);
    // 1 out, 3 of fees owed: 2 pulled.
    vault.sender(ch).settle_trader(alice, -int(E18), E18 * uint!(2_U256), E18).motsu_unwrap();
    assert_eq!(before - c.tokens(alice), uint!(2_U256) * E6);
    assert_eq!(c.books(), (U256::ZERO, E18, E18 * uint!(2_U256)));
    c.assert_backed();
}

#[motsu::test]
fn eighteen_decimal_tokens_convert_one_to_one(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 18);
    assert_eq!(vault.sender(owner).quote_scale(), U256::ONE);
    let before = c.tokens(alice);
    vault
        .sender(ch)
        .settle_trader(alice, int(E18 + U256::ONE), uint!(7_U256), uint!(3_U256))
        .motsu_unwrap();
    assert_eq!(before - c.tokens(alice), E18 + uint!(11_U256));
    vault
        .sender(ch)
        .settle_trader(alice, -int(uint!(5_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    assert_eq!(c.books(), (E18 - uint!(4_U256), uint!(3_U256), uint!(7_U256)));
    c.assert_backed();
}

#[motsu::test]
fn only_the_clearing_house_moves_trader_funds(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    mallory: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault.sender(ch).settle_trader(alice, int(E18), U256::ZERO, U256::ZERO).motsu_unwrap();
    for err in [
        vault
            .sender(mallory)
            .settle_trader(mallory, -int(E18), U256::ZERO, U256::ZERO)
            .motsu_unwrap_err(),
        vault.sender(mallory).transfer_insurance(int(E18)).motsu_unwrap_err(),
        vault.sender(owner).sweep_pool().motsu_unwrap_err(),
    ] {
        assert!(matches!(err, Error::OnlyClearingHouse(VaultOnlyClearingHouse { .. })));
    }
    assert_eq!(c.books(), (E18, U256::ZERO, U256::ZERO));
    c.assert_backed();
}

#[motsu::test]
fn an_unset_clearing_house_authorises_no_one(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
) {
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 6);
    vault.sender(owner).constructor(owner, token.address(), owner, U256::ZERO).motsu_unwrap();
    let err = vault.sender(Address::ZERO).sweep_pool().motsu_unwrap_err();
    assert!(
        matches!(err, Error::OnlyClearingHouse(VaultOnlyClearingHouse { caller }) if caller.is_zero())
    );
}

#[motsu::test]
fn pool_and_fund_cannot_be_overdrawn(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault
        .sender(ch)
        .settle_trader(alice, int(E18 * uint!(10_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    vault.sender(alice).deposit_insurance(E18 * uint!(5_U256)).motsu_unwrap();
    let before = c.tokens(alice);
    let err = vault
        .sender(ch)
        .settle_trader(alice, -int(E18 * uint!(11_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InsufficientPool(VaultInsufficientPool { requested, available })
        if requested == E18 * uint!(11_U256) && available == E18 * uint!(10_U256)));
    let err = vault.sender(ch).transfer_insurance(-int(E18 * uint!(6_U256))).motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientInsurance(VaultInsufficientInsurance { requested, available })
        if requested == E18 * uint!(6_U256) && available == E18 * uint!(5_U256))
    );
    assert_eq!(c.books(), (E18 * uint!(10_U256), E18 * uint!(5_U256), U256::ZERO));
    assert_eq!(c.tokens(alice), before);
    c.assert_backed();
}

#[motsu::test]
fn a_payment_to_the_fund_takes_at_most_the_pool(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault
        .sender(ch)
        .settle_trader(alice, int(E18 * uint!(10_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    vault.sender(ch).transfer_insurance(int(E18 * uint!(11_U256))).motsu_unwrap();
    vault.assert_emitted(&InsuranceTransferred {
        poolToInsurance: int(E18 * uint!(10_U256)),
        insuranceFundBalance: E18 * uint!(10_U256),
    });
    assert_eq!(c.books(), (U256::ZERO, E18 * uint!(10_U256), U256::ZERO));
    c.assert_backed();
}

#[motsu::test]
fn insurance_moves_both_ways_and_sweep_empties_the_pool(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault
        .sender(ch)
        .settle_trader(alice, int(E18 * uint!(10_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    vault.sender(ch).transfer_insurance(int(E18 * uint!(3_U256))).motsu_unwrap();
    vault.assert_emitted(&InsuranceTransferred {
        poolToInsurance: int(E18 * uint!(3_U256)),
        insuranceFundBalance: E18 * uint!(3_U256),
    });
    vault.sender(ch).transfer_insurance(-int(E18)).motsu_unwrap();
    assert_eq!(c.books(), (E18 * uint!(8_U256), E18 * uint!(2_U256), U256::ZERO));
    vault.sender(ch).sweep_pool().motsu_unwrap();
    vault.assert_emitted(&PoolSwept { amount: E18 * uint!(8_U256) });
    assert_eq!(c.books(), (U256::ZERO, E18 * uint!(10_U256), U256::ZERO));
    c.assert_backed();
}

#[motsu::test]
fn insurance_deposits_credit_the_floor_and_reject_dust(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    let before = c.tokens(alice);
    let credited =
        vault.sender(alice).deposit_insurance(uint!(1_500_000_999_999_999_999_U256)).motsu_unwrap();
    assert_eq!(credited, uint!(1_500_000_000_000_000_000_U256));
    assert_eq!(before - c.tokens(alice), uint!(1_500_000_U256));
    vault.assert_emitted(&InsuranceDeposited { from: alice, amount: credited });
    let err = vault.sender(alice).deposit_insurance(uint!(999_999_999_999_U256)).motsu_unwrap_err();
    assert!(
        matches!(err, Error::ZeroAmount(VaultZeroAmount { amount }) if amount == uint!(999_999_999_999_U256))
    );
    assert_eq!(c.books(), (U256::ZERO, credited, U256::ZERO));
    c.assert_backed();
}

#[motsu::test]
fn insurance_withdrawals_keep_the_reserve_and_need_the_owner(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    bob: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault.sender(owner).deposit_insurance(E18 * uint!(100_U256)).motsu_unwrap();
    // 10% reserve of a 300 pool: 30 must stay.
    vault
        .sender(ch)
        .settle_trader(alice, int(E18 * uint!(300_U256)), U256::ZERO, U256::ZERO)
        .motsu_unwrap();
    let err = vault.sender(owner).withdraw_insurance(E18 * uint!(71_U256), bob).motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsuranceReserveRequired(VaultInsuranceReserveRequired { requested, withdrawable })
        if requested == E18 * uint!(71_U256) && withdrawable == E18 * uint!(70_U256))
    );
    let err = vault.sender(alice).withdraw_insurance(E18, bob).motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    let err = vault.sender(owner).withdraw_insurance(E18, Address::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    let err = vault.sender(owner).withdraw_insurance(uint!(1_U256), bob).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    assert_eq!(c.books().1, E18 * uint!(100_U256));
    // 70.0000005 floors to 70.
    vault
        .sender(owner)
        .withdraw_insurance(E18 * uint!(70_U256) + uint!(500_000_000_000_U256), bob)
        .motsu_unwrap();
    assert_eq!(c.tokens(bob), uint!(70_U256) * E6);
    vault.assert_emitted(&InsuranceWithdrawn { to: bob, amount: E18 * uint!(70_U256) });
    assert_eq!(c.books().1, E18 * uint!(30_U256));
    c.assert_backed();
}

#[motsu::test]
fn fees_are_claimed_to_the_receiver_in_whole_token_units(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    carol: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    vault.sender(owner).set_fee_receiver(carol).motsu_unwrap();
    vault.assert_emitted(&FeeReceiverSet { feeReceiver: carol });
    assert_eq!(vault.sender(alice).claim_fees().motsu_unwrap(), U256::ZERO);
    let toll = E18 + uint!(400_000_000_000_U256);
    vault.sender(ch).settle_trader(alice, I256::ZERO, toll, U256::ZERO).motsu_unwrap();
    // Anyone triggers; 1.000000 USDC goes to carol, 0.0000004 stays accrued.
    assert_eq!(vault.sender(alice).claim_fees().motsu_unwrap(), E18);
    assert_eq!(c.tokens(carol), E6);
    vault.assert_emitted(&FeesClaimed { receiver: carol, amount: E18 });
    assert_eq!(c.books().2, uint!(400_000_000_000_U256));
    c.assert_backed();
}

/// A token that burns 1% of every `transferFrom` (fee on transfer).
mod fee_token {
    use alloy_primitives::{Address, U256};
    use stylus_sdk::{prelude::*, storage::StorageMap};

    #[storage]
    pub struct FeeToken {
        balances: StorageMap<Address, stylus_sdk::storage::StorageU256>,
    }

    unsafe impl TopLevelStorage for FeeToken {}

    #[public]
    #[allow(clippy::unused_self)]
    impl FeeToken {
        fn decimals(&self) -> u8 {
            18
        }

        pub(super) fn balance_of(&self, account: Address) -> U256 {
            self.balances.get(account)
        }

        pub(super) fn mint(&mut self, to: Address, value: U256) {
            let balance = self.balances.get(to);
            self.balances.setter(to).set(balance + value);
        }

        fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> bool {
            let from_balance = self.balances.get(from);
            if from_balance < value {
                return false;
            }
            self.balances.setter(from).set(from_balance - value);
            let to_balance = self.balances.get(to);
            self.balances.setter(to).set(to_balance + value - value / U256::from(100));
            true
        }
    }
}

#[motsu::test]
fn fee_on_transfer_tokens_are_rejected(
    vault: Contract<Vault>,
    token: Contract<fee_token::FeeToken>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    vault.sender(owner).constructor(owner, token.address(), owner, U256::ZERO).motsu_unwrap();
    vault.sender(owner).set_clearing_house(ch).motsu_unwrap();
    token.sender(alice).mint(alice, E18 * uint!(10_U256));
    let err =
        vault.sender(ch).settle_trader(alice, int(E18), U256::ZERO, U256::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::TokenShortfall(VaultTokenShortfall { expected, received, .. })
        if expected == E18 && received == E18 - E18 / uint!(100_U256)));
    assert_eq!(vault.sender(owner).total_margin(), U256::ZERO);
    assert_eq!(token.sender(alice).balance_of(alice), E18 * uint!(10_U256));
}

#[motsu::test]
fn a_failing_transfer_reverts_the_settlement(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    bob: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    // bob has no tokens and no allowance.
    let err =
        vault.sender(ch).settle_trader(bob, int(E18), U256::ZERO, U256::ZERO).motsu_unwrap_err();
    assert!(
        matches!(err, Error::TokenCallFailed(VaultTokenCallFailed { token: t }) if t == token.address())
    );
    assert_eq!(c.books(), (U256::ZERO, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn constructor_validates_token_and_parameters(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    nobody: Address,
) {
    let err =
        vault.sender(owner).constructor(owner, Address::ZERO, owner, U256::ZERO).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    let err = vault.sender(owner).constructor(owner, nobody, owner, U256::ZERO).motsu_unwrap_err();
    assert!(
        matches!(err, Error::TokenCallFailed(VaultTokenCallFailed { token: t }) if t == nobody)
    );
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 19);
    let err = vault
        .sender(owner)
        .constructor(owner, token.address(), owner, U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::UnsupportedDecimals(VaultUnsupportedDecimals { decimals: 19 })));
    let err = vault
        .sender(owner)
        .constructor(owner, token.address(), Address::ZERO, U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    assert_eq!(vault.sender(owner).owner(), Address::ZERO);
}

#[motsu::test]
fn admin_setters_are_owner_only_and_validated(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    mallory: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    let err = vault.sender(owner).set_clearing_house(mallory).motsu_unwrap_err();
    assert!(
        matches!(err, Error::ClearingHouseAlreadySet(VaultClearingHouseAlreadySet { current }) if current == ch)
    );
    assert!(matches!(
        vault.sender(mallory).set_fee_receiver(mallory).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        vault.sender(owner).set_fee_receiver(Address::ZERO).motsu_unwrap_err(),
        Error::ZeroAddress(_)
    ));
    assert!(matches!(
        vault.sender(mallory).set_insurance_reserve_ratio(U256::ZERO).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    let err = vault.sender(owner).set_insurance_reserve_ratio(E18 + U256::ONE).motsu_unwrap_err();
    assert!(
        matches!(err, Error::InvalidRatio(VaultInvalidRatio { ratio }) if ratio == E18 + U256::ONE)
    );
    vault.sender(owner).set_insurance_reserve_ratio(E18).motsu_unwrap();
    vault.assert_emitted(&InsuranceReserveRatioSet { ratio: E18 });
    assert_eq!(vault.sender(owner).get_config(), (token.address(), ch, c.owner, E18));
}

#[motsu::test]
fn set_clearing_house_rejects_zero_and_non_owners(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    mallory: Address,
) {
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 6);
    vault.sender(owner).constructor(owner, token.address(), owner, U256::ZERO).motsu_unwrap();
    assert!(matches!(
        vault.sender(mallory).set_clearing_house(mallory).motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        vault.sender(owner).set_clearing_house(Address::ZERO).motsu_unwrap_err(),
        Error::ZeroAddress(_)
    ));
    vault.sender(owner).set_clearing_house(mallory).motsu_unwrap();
    vault.assert_emitted(&ClearingHouseSet { clearingHouse: mallory });
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
    bob: Address,
) {
    setup_vault(&vault, &token, owner, ch, alice, 6);
    vault.sender(owner).transfer_ownership(bob).motsu_unwrap();
    assert_eq!(vault.sender(bob).pending_owner(), bob);
    assert!(matches!(
        vault.sender(alice).accept_ownership().motsu_unwrap_err(),
        Error::Unauthorized(_)
    ));
    vault.sender(bob).accept_ownership().motsu_unwrap();
    assert_eq!(vault.sender(bob).owner(), bob);
    vault.sender(bob).renounce_ownership().motsu_unwrap();
    assert_eq!(vault.sender(bob).owner(), Address::ZERO);
}

#[motsu::test]
fn overflowing_fee_amounts_are_a_math_error(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    owner: Address,
    ch: Address,
    alice: Address,
) {
    let c = setup_vault(&vault, &token, owner, ch, alice, 6);
    let err =
        vault.sender(ch).settle_trader(alice, I256::ZERO, U256::MAX, U256::ONE).motsu_unwrap_err();
    assert!(matches!(err, Error::Math(VaultMath { code: 1 })));
    assert_eq!(c.books(), (U256::ZERO, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn a_zero_owner_cannot_deploy(vault: Contract<Vault>, token: Contract<MockErc20>, owner: Address) {
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 6);
    let err = vault
        .sender(owner)
        .constructor(Address::ZERO, token.address(), owner, U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidOwner(_)));
    assert_eq!(vault.sender(owner).owner(), Address::ZERO);
}

/// `cargo stylus deploy --constructor-args` calls the constructor from its
/// `StylusDeployer` contract: the owner must be the argument, never the caller.
#[motsu::test]
fn the_owner_is_the_constructor_argument_not_the_deployer(
    vault: Contract<Vault>,
    token: Contract<MockErc20>,
    deployer: Address,
    owner: Address,
    ch: Address,
) {
    token.sender(owner).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 6);
    vault.sender(deployer).constructor(owner, token.address(), owner, U256::ZERO).motsu_unwrap();
    assert_eq!(vault.sender(deployer).owner(), owner);
    vault.assert_emitted(&ownable::OwnershipTransferred {
        previousOwner: Address::ZERO,
        newOwner: owner,
    });
    let err = vault.sender(deployer).set_clearing_house(ch).motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    vault.sender(owner).set_clearing_house(ch).motsu_unwrap();
}

/// A token that, inside `transferFrom`, tries to re-enter the vault and records
/// the revert data it gets back.
mod reentrant_token {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolCall;
    use stylus_sdk::{
        call::RawCall,
        prelude::*,
        storage::{StorageAddress, StorageBytes, StorageU256},
    };

    alloy_sol_types::sol! {
        function claimFees() external returns (uint256);
    }

    #[storage]
    pub struct ReentrantToken {
        vault: StorageAddress,
        received: StorageU256,
        last_revert: StorageBytes,
    }

    unsafe impl TopLevelStorage for ReentrantToken {}

    #[public]
    #[allow(clippy::unused_self)]
    impl ReentrantToken {
        pub(super) fn set_vault(&mut self, vault: Address) {
            self.vault.set(vault);
        }

        fn decimals(&self) -> u8 {
            18
        }

        fn balance_of(&self, _account: Address) -> U256 {
            self.received.get()
        }

        fn transfer_from(&mut self, _from: Address, _to: Address, value: U256) -> bool {
            self.received.set(self.received.get() + value);
            let data = claimFeesCall {}.abi_encode();
            // SAFETY: test-only re-entry probe.
            if let Err(revert) = unsafe { RawCall::new().call(self.vault.get(), &data) } {
                self.last_revert.set_bytes(revert);
            }
            true
        }

        pub(super) fn last_revert(&self) -> alloc::vec::Vec<u8> {
            self.last_revert.get_bytes()
        }
    }
}

#[motsu::test]
fn a_token_callback_cannot_re_enter_the_vault(
    vault: Contract<Vault>,
    token: Contract<reentrant_token::ReentrantToken>,
    owner: Address,
    alice: Address,
) {
    use alloy_sol_types::SolError;
    token.sender(owner).set_vault(vault.address());
    vault.sender(owner).constructor(owner, token.address(), owner, U256::ZERO).motsu_unwrap();
    // The deposit pulls tokens; the token calls claimFees back: the lock refuses.
    vault.sender(alice).deposit_insurance(E18).motsu_unwrap();
    let revert = token.sender(owner).last_revert();
    assert_eq!(revert, strata_common::reentrancy::ReentrantCall {}.abi_encode());
    assert_eq!(revert.get(..4), Some(&strata_common::reentrancy::ReentrantCall::SELECTOR[..]));
}

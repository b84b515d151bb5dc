//! Test-only governor that records votes weighted by the voter's token
//! balance at the time of the vote, standing in for AAVE/COMP-style
//! governance in meta-governance tests: when a pool or pi-token votes, the
//! recorded weight shows the pooled voting power arrived.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
extern crate alloc;

use strata_common::{env, token};
use stylus_sdk::{
    alloy_primitives::{Address, U256},
    prelude::*,
    storage::{StorageAddress, StorageArray, StorageBool, StorageMap, StorageU256, StorageU8},
};

strata_common::sol_events! {
    /// `voter` voted `support` (0 against, 1 for, 2 abstain) with `weight`.
    event VoteCast(address indexed voter, uint256 indexed proposalId, uint8 support, uint256 weight);
    /// `delegator` delegated its votes to `delegatee`.
    event DelegateChanged(address indexed delegator, address indexed delegatee);
}

alloy_sol_types::sol! {
    /// `voter` already voted on `proposalId`.
    #[derive(Debug)]
    error GovernorAlreadyVoted(uint256 proposalId, address voter);
    /// `support` is not 0, 1 or 2.
    #[derive(Debug)]
    error GovernorInvalidSupport(uint8 support);
    /// The voting token's `balanceOf` failed.
    #[derive(Debug)]
    error GovernorTokenCallFailed(address token);
}

/// Errors of the governor.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// See [`GovernorAlreadyVoted`].
    AlreadyVoted(GovernorAlreadyVoted),
    /// See [`GovernorInvalidSupport`].
    InvalidSupport(GovernorInvalidSupport),
    /// See [`GovernorTokenCallFailed`].
    TokenCallFailed(GovernorTokenCallFailed),
}

/// One voter's recorded vote.
#[storage]
pub struct Ballot {
    voted: StorageBool,
    support: StorageU8,
    weight: StorageU256,
}

/// Tallies (against, for, abstain) and ballots of one proposal.
#[storage]
pub struct Proposal {
    tallies: StorageArray<StorageU256, 3>,
    ballots: StorageMap<Address, Ballot>,
}

/// Mock governor.
#[entrypoint]
#[storage]
pub struct MockGovernor {
    token: StorageAddress,
    proposals: StorageMap<U256, Proposal>,
    delegates: StorageMap<Address, StorageAddress>,
}

#[public]
impl MockGovernor {
    /// Sets the voting token.
    #[constructor]
    pub fn constructor(&mut self, token: Address) {
        self.token.set(token);
    }

    /// The voting token.
    pub fn token(&self) -> Address {
        self.token.get()
    }

    /// Casts the caller's vote with its current token balance as weight.
    ///
    /// # Errors
    /// [`GovernorInvalidSupport`], [`GovernorAlreadyVoted`],
    /// [`GovernorTokenCallFailed`].
    ///
    /// # Events
    /// `VoteCast`.
    pub fn cast_vote(&mut self, proposal_id: U256, support: u8) -> Result<U256, Error> {
        let voter = env::sender();
        let index = usize::from(support);
        if index > 2 {
            return Err(Error::InvalidSupport(GovernorInvalidSupport { support }));
        }
        let token = self.token.get();
        let weight = token::balance_of(token, voter)
            .map_err(|_| Error::TokenCallFailed(GovernorTokenCallFailed { token }))?;
        let mut proposal = self.proposals.setter(proposal_id);
        if proposal.ballots.get(voter).voted.get() {
            return Err(Error::AlreadyVoted(GovernorAlreadyVoted {
                proposalId: proposal_id,
                voter,
            }));
        }
        let mut ballot = proposal.ballots.setter(voter);
        ballot.voted.set(true);
        ballot.support.set(stylus_sdk::alloy_primitives::U8::from(support));
        ballot.weight.set(weight);
        if let Some(mut tally) = proposal.tallies.setter(index) {
            let total = tally.get().saturating_add(weight);
            tally.set(total);
        }
        env::emit(VoteCast { voter, proposalId: proposal_id, support, weight });
        Ok(weight)
    }

    /// Records that the caller delegates to `delegatee`.
    ///
    /// # Events
    /// `DelegateChanged`.
    pub fn delegate(&mut self, delegatee: Address) {
        let delegator = env::sender();
        self.delegates.setter(delegator).set(delegatee);
        env::emit(DelegateChanged { delegator, delegatee });
    }

    /// The delegatee of `account` (zero when none).
    pub fn delegates(&self, account: Address) -> Address {
        self.delegates.get(account)
    }

    /// Whether `voter` voted on `proposal_id`, how, and with what weight.
    pub fn get_receipt(&self, proposal_id: U256, voter: Address) -> (bool, u8, U256) {
        let proposal = self.proposals.getter(proposal_id);
        let ballot = proposal.ballots.getter(voter);
        (ballot.voted.get(), ballot.support.get().to::<u8>(), ballot.weight.get())
    }

    /// Total weight against, for and abstaining on `proposal_id`.
    pub fn proposal_votes(&self, proposal_id: U256) -> (U256, U256, U256) {
        let proposal = self.proposals.getter(proposal_id);
        let tally = |i: usize| proposal.tallies.get(i).unwrap_or_default();
        (tally(0), tally(1), tally(2))
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use mock_erc20::MockErc20;
    use motsu::prelude::*;
    use stylus_sdk::alloy_primitives::{uint, Address, FixedBytes, U256};

    use super::*;

    fn setup_governor(gov: &Contract<MockGovernor>, token: &Contract<MockErc20>, alice: Address) {
        token.sender(alice).constructor(FixedBytes::ZERO, FixedBytes::ZERO, 18);
        gov.sender(alice).constructor(token.address());
        token.sender(alice).mint(alice, uint!(700_U256)).motsu_unwrap();
    }

    #[motsu::test]
    fn cast_vote_records_balance_as_weight(
        gov: Contract<MockGovernor>,
        token: Contract<MockErc20>,
        alice: Address,
    ) {
        setup_governor(&gov, &token, alice);
        let weight = gov.sender(alice).cast_vote(uint!(7_U256), 1).motsu_unwrap();
        assert_eq!(weight, uint!(700_U256));
        assert_eq!(gov.sender(alice).get_receipt(uint!(7_U256), alice), (true, 1, uint!(700_U256)));
        assert_eq!(
            gov.sender(alice).proposal_votes(uint!(7_U256)),
            (U256::ZERO, uint!(700_U256), U256::ZERO)
        );
        gov.assert_emitted(&VoteCast {
            voter: alice,
            proposalId: uint!(7_U256),
            support: 1,
            weight,
        });
    }

    #[motsu::test]
    fn cast_vote_reverts_on_second_vote(
        gov: Contract<MockGovernor>,
        token: Contract<MockErc20>,
        alice: Address,
    ) {
        setup_governor(&gov, &token, alice);
        gov.sender(alice).cast_vote(uint!(7_U256), 0).motsu_unwrap();
        let err = gov.sender(alice).cast_vote(uint!(7_U256), 1).motsu_unwrap_err();
        assert!(
            matches!(err, Error::AlreadyVoted(GovernorAlreadyVoted { voter, .. }) if voter == alice)
        );
        assert_eq!(
            gov.sender(alice).proposal_votes(uint!(7_U256)),
            (uint!(700_U256), U256::ZERO, U256::ZERO)
        );
    }

    #[motsu::test]
    fn cast_vote_reverts_on_invalid_support(
        gov: Contract<MockGovernor>,
        token: Contract<MockErc20>,
        alice: Address,
    ) {
        setup_governor(&gov, &token, alice);
        let err = gov.sender(alice).cast_vote(uint!(7_U256), 3).motsu_unwrap_err();
        assert!(matches!(err, Error::InvalidSupport(GovernorInvalidSupport { support: 3 })));
        assert_eq!(gov.sender(alice).get_receipt(uint!(7_U256), alice), (false, 0, U256::ZERO));
    }

    #[motsu::test]
    fn cast_vote_reverts_when_token_call_fails(gov: Contract<MockGovernor>, alice: Address) {
        gov.sender(alice).constructor(Address::with_last_byte(9));
        let err = gov.sender(alice).cast_vote(uint!(1_U256), 1).motsu_unwrap_err();
        assert!(matches!(err, Error::TokenCallFailed(_)));
    }

    #[motsu::test]
    fn delegate_is_recorded(gov: Contract<MockGovernor>, alice: Address, bob: Address) {
        gov.sender(alice).delegate(bob);
        assert_eq!(gov.sender(alice).delegates(alice), bob);
        gov.assert_emitted(&DelegateChanged { delegator: alice, delegatee: bob });
    }
}

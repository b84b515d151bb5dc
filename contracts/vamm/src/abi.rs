//! The vAMM's external functions: one declaration each, the source of the
//! selectors [`crate::router`] matches and of the exported interface
//! (`interfaces/IVamm.sol`).
#![allow(missing_docs)]

strata_common::sol_functions! {
    function getInputPrice(uint8 dir, uint256 quoteAmount) external view returns (uint256 baseAmount);
    function getOutputPrice(uint8 dir, uint256 baseAmount) external view returns (uint256 quoteAmount);
    function getInputTwap(uint8 dir, uint256 quoteAmount) external view returns (uint256 baseAmount);
    function getOutputTwap(uint8 dir, uint256 baseAmount) external view returns (uint256 quoteAmount);
    function isOverFluctuationLimit(uint8 dir, uint256 baseAmount) external view returns (bool);
    function getSpotPrice() external view returns (uint256);
    function getTwapPrice(uint256 interval) external view returns (uint256);
    function getUnderlyingPrice() external view returns (uint256);
    function getUnderlyingTwapPrice(uint256 interval) external view returns (uint256);
    function getReserves() external view returns (uint256 quoteReserve, uint256 baseReserve);
    function calcFee(uint256 quoteAmount) external view returns (uint256 toll, uint256 spread);
    function getCaps() external view returns (uint256 maxHoldingBaseAsset, uint256 openInterestNotionalCap);
    function totalPositionSize() external view returns (int256);
    function swapInput(uint8 dir, uint256 quoteAmount, uint256 baseAmountLimit, bool canOverFluctuationLimit) external returns (uint256 baseAmount);
    function swapOutput(uint8 dir, uint256 baseAmount, uint256 quoteAmountLimit, bool skipFluctuationCheck) external returns (uint256 quoteAmount);
    function settleFunding() external returns (int256 premiumFraction);
    function adjustK(uint256 multiplier) external returns (uint256 quoteReserve, uint256 baseReserve);
    function setOpen(bool open) external;
    function setCap(uint256 maxHoldingBaseAsset, uint256 openInterestNotionalCap) external;
    function setFluctuationLimitRatio(uint256 ratio) external;
    function setSpreadRatio(uint256 ratio) external;
    function setTollRatio(uint256 ratio) external;
    function setMaxFundingRate(uint256 ratio) external;
    function getSnapshot(uint256 index) external view returns (uint256 quoteReserve, uint256 baseReserve, uint64 timestamp, uint64 blockNumber, uint256 snapshotCount);
    function getConfig() external view returns (address counterparty, address oracle, address oracleAsset, bool open, uint256 tradeLimitRatio, uint256 fluctuationLimitRatio, uint256 tollRatio, uint256 spreadRatio, uint256 maxFundingRate, uint64 fundingPeriod, uint64 nextFundingTime, int256 fundingRate);
    function owner() external view returns (address);
    function pendingOwner() external view returns (address);
    function transferOwnership(address newOwner) external;
    function acceptOwnership() external;
    function renounceOwnership() external;
}

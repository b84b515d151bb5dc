//! The engine's external functions: one declaration each, the source of the
//! selectors [`crate::router`] matches and of the exported interface
//! (`interfaces/IClearingHouseEngine.sol`). A position travels as its words
//! `(amm, size, margin, openNotional, lastCpf)` plus the market's `cpf`; a trade
//! comes back as the 13 words of [`crate::TradeResult`].
#![allow(missing_docs)]

strata_common::sol_functions! {
    function clearingHouse() external view returns (address);
    function openPosition(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint8 side, uint256 marginIn, uint256 leverage, uint256 scale, uint256 baseLimit, uint256 openInterest, uint256 liquidationFeeRatio) external returns (int256 sizeAfter, uint256 marginAfter, uint256 openNotionalAfter, uint256 exchangedQuote, uint256 badDebt, int256 exchangedSize, int256 fundingPayment, int256 realizedPnl, int256 marginToVault, int256 unrealizedPnlAfter, uint256 toll, uint256 spread, uint256 spotPrice, int256 marginRatio, uint256 flooredMargin);
    function closePosition(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 ratio, uint256 quoteLimit, uint256 partialLiquidationRatio) external returns (int256 sizeAfter, uint256 marginAfter, uint256 openNotionalAfter, uint256 exchangedQuote, uint256 badDebt, int256 exchangedSize, int256 fundingPayment, int256 realizedPnl, int256 marginToVault, int256 unrealizedPnlAfter, uint256 toll, uint256 spread, uint256 spotPrice);
    function liquidatePosition(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 liquidationFeeRatio, uint256 partialLiquidationRatio, uint256 spreadLimitRatio) external returns (int256 sizeAfter, uint256 marginAfter, uint256 openNotionalAfter, uint256 exchangedQuote, uint256 badDebt, int256 exchangedSize, int256 fundingPayment, int256 realizedPnl, int256 marginToVault, int256 unrealizedPnlAfter, uint256 toll, uint256 spread, uint256 spotPrice, int256 liquidationRatio, uint256 liquidatedBase, uint256 penalty, uint256 liquidatorFee, uint256 liquidationBadDebt, int256 toInsuranceFund);
    function settleFunding(address amm) external returns (int256 premiumFraction, int256 toInsuranceFund);
    function adjustK(address amm, uint256 multiplier) external returns (int256 cost);
    function getMarginRatios(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 initMarginRatio, uint256 liquidationFeeRatio, uint256 spreadLimitRatio) external view returns (int256 maxPnlRatio, int256 minPnlRatio, int256 liquidationRatio, int256 spotRatio, int256 freeCollateral);
    function getMarginAfterRemoval(address amm, int256 size, uint256 margin, uint256 openNotional, int256 lastCpf, int256 cpf, uint256 amount, uint256 initMarginRatio, uint256 scale) external view returns (int256 marginAfter, int256 fundingPayment, int256 minPnlRatio, int256 freeCollateral, uint256 flooredAmount);
    function floorAmount(uint256 amount, uint256 scale) external view returns (uint256);
    function getFundingPayment(int256 size, uint256 margin, int256 lastCpf, int256 cpf) external view returns (uint256 marginAfter, uint256 badDebt, int256 fundingPayment);
    function getPositionNotionalAndUnrealizedPnl(address amm, int256 size, uint256 openNotional, uint8 pnlCalcOption) external view returns (uint256 positionNotional, int256 unrealizedPnl);
}
